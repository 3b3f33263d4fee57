using Usrv.Crypto;

namespace Usrv.Route.Client;

/// <summary>
/// Reads the current key out of a server's key set (<c>GET /.well-known/usrv-keys</c>, DESIGN, "Keys, senders, replay"):
/// an RFC 7517 JWK Set whose EC keys carry <c>x</c> and <c>y</c> in base64url (RFC 7518 section 6.2.1) and a
/// <c>usrv_status</c> of <c>current</c> or <c>previous</c>.
/// </summary>
internal static class ServerKeySet
{
    /// <summary>The key marked <c>current</c> in <paramref name="keySet"/>, the answer decoded as plain JSON values.</summary>
    /// <exception cref="FormatException">No key is marked current, or it lacks <c>x</c> or <c>y</c>, or they are not base64url.</exception>
    /// <exception cref="InvalidKeyException">The point is not on secp256k1.</exception>
    public static PublicKey CurrentKey(object? keySet)
    {
        var current = (keySet as Dictionary<string, object?>)?.GetValueOrDefault("keys") is List<object?> keys
            ? keys.OfType<Dictionary<string, object?>>().FirstOrDefault(k => k.GetValueOrDefault("usrv_status") as string == "current")
            : null;
        if (current?.GetValueOrDefault("x") is not string x || current.GetValueOrDefault("y") is not string y)
            throw new FormatException("the server's key set names no current key with x and y");
        return PublicKey.FromBytes([0x04, .. Base64UrlDecode(x), .. Base64UrlDecode(y)]);
    }

    private static byte[] Base64UrlDecode(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }
}
