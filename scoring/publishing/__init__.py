"""Publishing: what the public may see of a locked month, released with four eyes.

Above consolidation: a release freezes the figures of a locked month (suppressed so that
no figure about fewer than ``PUBLISH_MINIMUM`` people or ratings can be read or
recovered), a second officer of the home-affairs office approves it, and it is public
from its scheduled time. The public site and the open data read only released figures,
through :mod:`scoring.publishing.public`.
"""
