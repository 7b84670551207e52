"""The evaluation calendar: each month's period, its state and deadlines.

Below every feature, because each of them must ask the one question "does this day fall
in a closed month?" before it writes anything dated (a receipt, a post, a unit's end).
"""
