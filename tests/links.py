"""Links as the portal made them some time ago: the real signer, its clock set back."""

import time

from django.core import signing

from consular_portal.access import link_payload


class SignerAt(signing.TimestampSigner):
    """A TimestampSigner whose clock reads ``at`` (seconds since the epoch)."""

    def __init__(self, *, at, **kwargs):
        super().__init__(**kwargs)
        self.at = at

    def timestamp(self):
        return signing.b62_encode(int(self.at))


def token_made_ago(obj, age, *, salt):
    """The token ``consular_portal.access.make_token`` gave for ``obj`` ``age`` (a timedelta) ago."""
    signer = SignerAt(at=time.time() - age.total_seconds(), salt=salt)
    return signer.sign_object(link_payload(obj), compress=True)
