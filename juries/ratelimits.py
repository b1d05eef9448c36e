"""Our own rate limits (volunteer registrations), counting the same client address as allauth's
sign-in limits.

Behind a reverse proxy every request comes from the proxy. The client's own address is then read
from X-Forwarded-For, or from a header the proxy sets, only as far as settings trust the proxy
(ALLAUTH_TRUSTED_PROXY_COUNT, ALLAUTH_TRUSTED_CLIENT_IP_HEADER; see the README). Reading it
anywhere but here would let two limits disagree about who someone is.
"""

import ipaddress

from allauth import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.utils.crypto import salted_hmac


def client_address(request):
    """The address a request counts against: allauth's client IP, so our limits and sign-in's
    agree, with an IPv6 address widened to its network (ALLAUTH_RATE_LIMIT_IPV6_PREFIX, /64
    unless set) as allauth does, since one household or phone holds a whole /64."""
    address = get_adapter(request).get_client_ip(request)
    parsed = ipaddress.ip_address(address)
    if parsed.version == 6:
        prefix = allauth_settings.RATE_LIMIT_IPV6_PREFIX
        return str(ipaddress.ip_network(f"{parsed}/{prefix}", strict=False).network_address)
    return address


def within_limit(scope, who, *, limit, window):
    """Count one attempt by `who` (an address, an email address) under `scope`; False once
    there have been more than `limit` in the current window of `window` seconds.

    A fixed window in the shared cache: simple, and enough to stop one machine or one inbox
    being used to flood. `who` is hashed with the secret key before it becomes a cache key, so
    no email address sits in the cache.
    """
    key = f"limit:{scope}:{salted_hmac(scope, who).hexdigest()}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count <= limit
