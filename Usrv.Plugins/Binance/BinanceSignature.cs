using System.Security.Cryptography;
using System.Text;

namespace Usrv.Plugins.Binance;

/// <summary>
/// The signature of Binance's SIGNED endpoints (Binance Spot API, "SIGNED (TRADE and USER_DATA) Endpoint security"):
/// HMAC-SHA256 keyed with the secret key over <c>totalParams</c> (the query string as sent, without <c>?</c>,
/// concatenated with the form body), in lowercase hex, sent as the last parameter <c>&amp;signature=...</c>.
/// </summary>
/// <example><code>
/// // Binance's documented example: c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71
/// BinanceSignature.Compute("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j",
///     "symbol=LTCBTC&amp;side=BUY&amp;type=LIMIT&amp;timeInForce=GTC&amp;quantity=1&amp;price=0.1" +
///     "&amp;recvWindow=5000&amp;timestamp=1499827319559");
/// </code></example>
public static class BinanceSignature
{
    /// <summary>Signs <paramref name="totalParams"/> (UTF-8) with <paramref name="secretKey"/>.</summary>
    /// <param name="secretKey">The secret key's bytes (the UTF-8 of the secret key text).</param>
    /// <param name="totalParams">The exact text sent: query string (without <c>?</c>) followed by the body.</param>
    /// <returns>64 lowercase hex digits.</returns>
    public static string Compute(ReadOnlySpan<byte> secretKey, string totalParams)
    {
        ArgumentNullException.ThrowIfNull(totalParams);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secretKey, Encoding.UTF8.GetBytes(totalParams), mac);
        return Convert.ToHexStringLower(mac);
    }

    /// <summary>Signs <paramref name="totalParams"/> with the secret key given as text; its UTF-8 bytes are wiped after use.</summary>
    /// <param name="secretKey">The secret key as Binance shows it.</param>
    /// <param name="totalParams">The exact text sent.</param>
    /// <returns>64 lowercase hex digits.</returns>
    public static string Compute(string secretKey, string totalParams)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretKey);
        var key = Encoding.UTF8.GetBytes(secretKey);
        try
        {
            return Compute(key, totalParams);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
