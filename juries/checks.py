"""System checks for how Deliberate is deployed (run by `manage.py check`, and at start-up)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_proxy_gives_client_addresses(app_configs=None, **kwargs):
    """Trusting a proxy to say a request came over HTTPS means there is a proxy; if nothing says
    how it passes on the client's address, every request seems to come from the proxy and one
    person can use up the rate limits (sign-in codes, registrations) of everybody."""
    trusts_https = bool(getattr(settings, "SECURE_PROXY_SSL_HEADER", None))
    gives_addresses = bool(
        getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
        or getattr(settings, "ALLAUTH_TRUSTED_CLIENT_IP_HEADER", None)
    )
    if trusts_https and not gives_addresses:
        return [
            Error(
                "SECURE_PROXY_SSL_HEADER trusts a reverse proxy, but nothing says how it passes "
                "on the client's address, so rate limits would count everybody as the proxy.",
                hint=(
                    "Set TRUSTED_PROXY_COUNT to the number of proxies in front of the server "
                    "(1 for the README's nginx or Caddy), or TRUSTED_CLIENT_IP_HEADER to the "
                    "header your proxy sets; or unset SECURE_PROXY_SSL_HEADER if there is no "
                    "proxy."
                ),
                id="juries.E001",
            )
        ]
    return []
