using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Usrv.Crypto;
using Usrv.Route;

namespace Usrv.Route.Tests;

/// <summary>The built-in key endpoints of every router (DESIGN section 8).</summary>
public sealed class PublishedKeysTests : IDisposable
{
    private readonly PrivateKey _current = PrivateKey.Generate();
    private readonly PrivateKey _previous = PrivateKey.Generate();

    public void Dispose()
    {
        _current.Dispose();
        _previous.Dispose();
    }

    private static Task<UsrvResponse> Get(Router router, string target) => router.HandleAsync(new UsrvRequest("GET", target)).AsTask();

    // RFC 7638 §3.2 computed independently: the required members sorted by the serializer, no whitespace.
    private static string Rfc7638(PublicKey key)
    {
        static string B64Url(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var point = key.ToUncompressed();
        var members = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["y"] = B64Url(point[33..]), ["x"] = B64Url(point[1..33]), ["kty"] = "EC", ["crv"] = "secp256k1",
        };
        return B64Url(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(members))));
    }

    [Fact]
    public async Task Every_router_answers_puk_with_its_current_key()
    {
        var answer = await Get(new Router(new RouterOptions { Identity = _current }), "/puk");
        Assert.Equal(200, answer.Status);
        Assert.Equal($"\"{_current.PublicKey}\"", answer.BodyText);
    }

    [Fact]
    public async Task The_key_set_is_a_jwk_set_with_rfc7638_thumbprints_status_and_retire_times()
    {
        var options = new RouterOptions { Identity = _current };
        var retireAt = new DateTimeOffset(2026, 12, 8, 12, 0, 0, TimeSpan.Zero);
        options.PreviousKeys.Add(new PreviousKey(_previous, retireAt));
        var answer = await Get(new Router(options), "/.well-known/usrv-keys");

        Assert.Equal(200, answer.Status);
        Assert.Equal("application/jwk-set+json", answer.ContentType);
        var keys = JsonDocument.Parse(answer.BodyText).RootElement.GetProperty("keys").EnumerateArray().ToArray();
        Assert.Equal(2, keys.Length);
        Assert.Equal("EC", keys[0].GetProperty("kty").GetString());
        Assert.Equal("secp256k1", keys[0].GetProperty("crv").GetString());
        Assert.Equal(Rfc7638(_current.PublicKey), keys[0].GetProperty("kid").GetString());
        Assert.Equal("current", keys[0].GetProperty("usrv_status").GetString());
        Assert.Equal(JsonValueKind.Null, keys[0].GetProperty("usrv_retire_at").ValueKind);
        Assert.Equal(Rfc7638(_previous.PublicKey), keys[1].GetProperty("kid").GetString());
        Assert.Equal("previous", keys[1].GetProperty("usrv_status").GetString());
        Assert.Equal("2026-12-08T12:00:00Z", keys[1].GetProperty("usrv_retire_at").GetString());
        // x and y give back the key.
        var x = Convert.FromBase64String(keys[1].GetProperty("x").GetString()!.Replace('-', '+').Replace('_', '/') + "=");
        var y = Convert.FromBase64String(keys[1].GetProperty("y").GetString()!.Replace('-', '+').Replace('_', '/') + "=");
        Assert.Equal(_previous.PublicKey, PublicKey.FromBytes([0x04, .. x, .. y]));
    }

    [Fact]
    public async Task A_binding_of_the_users_own_wins_and_publishing_can_be_turned_off()
    {
        var own = new Router(new RouterOptions { Identity = _current }).Bind("/puk", () => (200, "mine"));
        Assert.Equal("\"mine\"", (await Get(own, "/puk")).BodyText);

        var off = new Router(new RouterOptions { Identity = _current, PublishKeys = false });
        Assert.Equal(404, (await Get(off, "/puk")).Status);
        Assert.Equal(404, (await Get(off, "/.well-known/usrv-keys")).Status);
    }
}
