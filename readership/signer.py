"""Django's Signer with each key's HMAC state derived once: the repeat-visit cookie is signed
on every counted view, and the beacon token on every page in beacon mode."""

import functools
import hashlib
import hmac

from django.conf import settings
from django.core import signing
from django.utils.encoding import force_bytes


class KeyedSigner(signing.Signer):
    """Django's Signer: same signatures, same key rotation (SECRET_KEY_FALLBACKS)."""

    def __init__(self, *, salt, key, fallback_keys):
        super().__init__(salt=salt, key=key, fallback_keys=fallback_keys)
        self._macs = {}

    def signature(self, value, key=None):
        key = key or self.key
        mac = self._macs.get(key)
        if mac is None:
            # Django's salted_hmac: the HMAC key is a hash of the salt and the secret.
            derived = hashlib.sha256(force_bytes(self.salt + "signer") + force_bytes(key))
            mac = self._macs[key] = hmac.new(derived.digest(), digestmod=hashlib.sha256)
        mac = mac.copy()
        mac.update(force_bytes(value))
        return signing.b64_encode(mac.digest()).decode()


@functools.lru_cache(maxsize=16)
def _signer(salt, key, fallback_keys):
    return KeyedSigner(salt=salt, key=key, fallback_keys=list(fallback_keys))


def for_salt(salt):
    """The signer for `salt` with the current SECRET_KEY and its fallbacks."""
    return _signer(salt, settings.SECRET_KEY, tuple(settings.SECRET_KEY_FALLBACKS))
