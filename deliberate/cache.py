"""The Redis cache, forgiving when Redis is away.

Only sign-in rate limits (allauth) use the cache. If Redis cannot be reached, reading finds
nothing and writing does nothing, with a warning in the log, instead of every page that touches
the cache failing. The limits are not enforced while Redis is away: a short, logged gap is better
than nobody being able to sign in.
"""

import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _forgiving(method, fallback):
    def wrapped(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE:
            logger.warning("Cache unavailable (Redis unreachable); carrying on without it")
            return fallback(*args) if callable(fallback) else fallback

    return wrapped


class ForgivingClient(RedisCacheClient):
    add = _forgiving(RedisCacheClient.add, True)  # as if added: locks built on add() open
    get = _forgiving(RedisCacheClient.get, lambda key, default: default)
    set = _forgiving(RedisCacheClient.set, None)
    touch = _forgiving(RedisCacheClient.touch, False)
    delete = _forgiving(RedisCacheClient.delete, False)
    get_many = _forgiving(RedisCacheClient.get_many, lambda keys: {})
    has_key = _forgiving(RedisCacheClient.has_key, False)
    incr = _forgiving(RedisCacheClient.incr, lambda key, delta: delta)
    set_many = _forgiving(RedisCacheClient.set_many, lambda data, timeout: [])
    delete_many = _forgiving(RedisCacheClient.delete_many, None)
    clear = _forgiving(RedisCacheClient.clear, False)


class ForgivingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ForgivingClient
