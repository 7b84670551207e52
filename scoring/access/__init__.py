"""Who may see and do what: the role groups and the one policy every view and command asks.

Each decision is one function in :mod:`scoring.access.policy`; a feature's own rules about
its objects' states (may this sheet still be self-scored?) stay with the feature and are
combined with these in the views.
"""
