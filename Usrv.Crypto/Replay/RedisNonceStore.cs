using StackExchange.Redis;

namespace Usrv.Crypto;

/// <summary>
/// An <see cref="INonceStore"/> on Redis (DESIGN, Keys, senders, replay), for several instances serving one key ring:
/// each record is <c>SET usrv:nonce:{x-only key hex}:{instant ticks} 1 NX PX {ttl}</c>, atomic on the server, with the
/// ttl the time left until the entry's expiry (the nonce instant plus the window). A Redis that cannot be reached
/// answers <see cref="NonceRecordResult.Unavailable"/> (the server answers 503), never a silent accept.
/// </summary>
public sealed class RedisNonceStore : INonceStore, IDisposable
{
    /// <summary>The prefix of every key this store writes: <c>usrv:nonce:</c>.</summary>
    public const string KeyPrefix = "usrv:nonce:";

    private readonly IConnectionMultiplexer _redis;
    private readonly bool _ownsConnection;

    /// <summary>A store on an existing connection (not disposed by the store).</summary>
    /// <param name="redis">The connection.</param>
    /// <exception cref="ArgumentNullException"><paramref name="redis"/> is null.</exception>
    public RedisNonceStore(IConnectionMultiplexer redis)
    {
        ArgumentNullException.ThrowIfNull(redis);
        _redis = redis;
    }

    private RedisNonceStore(IConnectionMultiplexer redis, bool owns)
        : this(redis) => _ownsConnection = owns;

    /// <summary>Connects to <paramref name="url"/> (<c>redis://HOST:PORT</c>, or StackExchange.Redis configuration text).</summary>
    /// <param name="url">Where Redis listens, e.g. <c>redis://127.0.0.1:6379</c>.</param>
    /// <returns>The store; dispose it to close the connection.</returns>
    /// <exception cref="ArgumentException">The URL is not <c>redis://HOST:PORT</c> or configuration text.</exception>
    /// <exception cref="RedisConnectionException">Redis cannot be reached now (at start a clear error, not a later 503).</exception>
    public static async Task<RedisNonceStore> ConnectAsync(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var configuration = ConfigurationOptions.Parse(ToConfiguration(url));
        configuration.AbortOnConnectFail = true; // at start only: once connected it reconnects in the background after an outage
        configuration.ConnectTimeout = 2000;
        configuration.AsyncTimeout = 1000;
        configuration.SyncTimeout = 1000;
        var redis = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        return new RedisNonceStore(redis, owns: true);
    }

    /// <inheritdoc/>
    public async ValueTask<NonceRecordResult> RecordAsync(
        NonceKey key,
        DateTimeOffset expiresAt,
        DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        var ttl = expiresAt - now;
        if (ttl < TimeSpan.FromMilliseconds(1)) ttl = TimeSpan.FromMilliseconds(1);
        try
        {
            var set = await _redis.GetDatabase().StringSetAsync(KeyPrefix + key, 1, ttl, When.NotExists).ConfigureAwait(false);
            return set ? NonceRecordResult.Recorded : NonceRecordResult.Replayed;
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            return NonceRecordResult.Unavailable;
        }
    }

    /// <summary>Closes the connection when the store made it.</summary>
    public void Dispose()
    {
        if (_ownsConnection) _redis.Dispose();
    }

    private static string ToConfiguration(string url)
    {
        if (!url.StartsWith("redis://", StringComparison.OrdinalIgnoreCase)) return url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            throw new ArgumentException($"'{url}' is not a redis://HOST:PORT address", nameof(url));
        return $"{uri.Host}:{(uri.Port > 0 ? uri.Port : 6379)}";
    }
}
