using System.Text;
using Usrv.Crypto;

namespace Usrv.Crypto.Tests;

/// <summary>
/// The server remembers <c>DH(skR, pkS)</c>, the static half of HPKE's auth mode (RFC 9180 §4.1), per sender: the
/// remembered value must be the ECDH itself, calls from many senders must keep opening past the memory's bound, and a
/// disposed key must hand out nothing.
/// </summary>
public sealed class StaticSharedSecretTests
{
    [Fact]
    public void The_remembered_value_is_the_ECDH_of_the_two_keys_the_first_time_and_after()
    {
        using var server = PrivateKey.Generate();
        using var sender = PrivateKey.Generate();
        var first = new byte[32];
        var again = new byte[32];

        server.StaticSharedX(sender.PublicKey, first);
        server.StaticSharedX(sender.PublicKey, again);

        Assert.Equal(sender.DeriveSharedX(server.PublicKey), first); // ECDH is symmetric: d_S·(d_R·G) = d_R·(d_S·G)
        Assert.Equal(first, again);
    }

    [Fact]
    public async Task Sealed_calls_from_more_senders_than_the_memory_holds_all_open_and_answers_still_verify()
    {
        using var server = PrivateKey.Generate();
        var ring = new KeyRing(server);
        var guard = new ReplayGuard();
        var line = new RequestLine("POST", "127.0.0.1:5000", "/order", "application/json");
        var body = Encoding.UTF8.GetBytes("""{"id":"A-1"}""");
        for (int i = 0; i < PrivateKey.MaxRememberedPeers + 50; i++)
        {
            using var sender = PrivateKey.Generate();
            using var sealedRequest = UsrvEnvelope.SealRequest(sender, server.PublicKey, line, body, DateTimeOffset.UtcNow);
            using var opened = await UsrvEnvelope.OpenRequestAsync(line, sealedRequest.Headers, _ => ValueTask.FromResult<ReadOnlyMemory<byte>>(sealedRequest.Body), ring, guard);
            Assert.Equal(body, opened.Plaintext);
            Assert.Equal(sender.PublicKey, opened.Sender);
            if (i % 256 == 0)
            {
                var answer = UsrvEnvelope.SealResponse(opened, 200, "application/json", "{}"u8, canCarryContent: true);
                Assert.Equal("{}"u8.ToArray(), UsrvEnvelope.OpenResponse(sealedRequest, 200, "application/json", answer.Headers, answer.Body, true));
            }
        }
    }

    [Fact]
    public void A_disposed_key_refuses_instead_of_handing_out_a_wiped_value()
    {
        var server = PrivateKey.Generate();
        using var sender = PrivateKey.Generate();
        server.StaticSharedX(sender.PublicKey, new byte[32]);
        server.Dispose();
        Assert.Throws<ObjectDisposedException>(() => server.StaticSharedX(sender.PublicKey, new byte[32]));
    }
}
