using System.Text.Json;
using Usrv.Crypto;

namespace Usrv.Route;

/// <summary>
/// The built-in key endpoints of every router (DESIGN, Keys, senders, replay), answered when no binding of the user's matches:
/// <c>GET /puk</c> (the current key, usrv's form: a JSON string of base64 SEC1 compressed, or of usrv 0.4.3's 64-byte
/// <c>x || y</c> under <see cref="RouterOptions.Usrv04Compatible"/>) and
/// <c>GET /.well-known/usrv-keys</c> (the ring as an RFC 7517 JWK Set). Both bodies are made once, at start.
/// </summary>
internal sealed class PublishedKeys
{
    /// <summary>Path of usrv's public key endpoint.</summary>
    public const string PukPath = "/puk";

    /// <summary>Path of the key set.</summary>
    public const string KeySetPath = "/.well-known/usrv-keys";

    private readonly byte[] _puk;
    private readonly byte[] _keySet;

    /// <param name="ring">The server's keys.</param>
    /// <param name="usrv04">
    /// <see cref="RouterOptions.Usrv04Compatible"/>: <c>/puk</c> in usrv 0.4.3's form (base64 of the 64-byte <c>x || y</c>).
    /// </param>
    public PublishedKeys(KeyRing ring, bool usrv04 = false)
    {
        var puk = usrv04 ? ring.Current.PublicKey.ToUsrv04String() : ring.Current.PublicKey.ToString();
        _puk = JsonSerializer.SerializeToUtf8Bytes(puk, UsrvJson.Options);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("keys");
            WriteKey(json, ring.Current.PublicKey, "current", null);
            foreach (var previous in ring.Previous) WriteKey(json, previous.Key.PublicKey, "previous", previous.RetireAt);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        _keySet = buffer.ToArray();
    }

    /// <summary>The built-in answer for <paramref name="path"/>, or null when it is not one of the two.</summary>
    public UsrvResponse? Answer(string method, string path)
    {
        if (method is not ("GET" or "HEAD")) return null;
        return path switch
        {
            PukPath => new UsrvResponse(200, ReplyConverter.JsonContentType, _puk),
            KeySetPath => new UsrvResponse(200, "application/jwk-set+json", _keySet),
            _ => null,
        };
    }

    private static void WriteKey(Utf8JsonWriter json, PublicKey key, string status, DateTimeOffset? retireAt)
    {
        var (x, y) = key.JwkCoordinates();
        json.WriteStartObject();
        json.WriteString("kty", "EC");
        json.WriteString("crv", "secp256k1"); // RFC 8812 §3.1
        json.WriteString("x", x);
        json.WriteString("y", y);
        json.WriteString("kid", key.JwkThumbprint());
        json.WriteString("usrv_status", status);
        if (retireAt is { } at)
        {
            json.WriteString(
                "usrv_retire_at",
                at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        }
        else json.WriteNull("usrv_retire_at");
        json.WriteEndObject();
    }
}
