using System.Text;
using Usrv.Crypto;

namespace Usrv.Host.Tests;

/// <summary>
/// Attacks on sealed calls, each one usrv/1 let through or was hurt by, over real sockets on every host kind:
/// a victim's request re-signed by an attacker, a plain request burning a victim's nonce, an answer offered to another
/// call, a flood of unsigned nonces filling the replay store, and a request moved to another target or authority.
/// </summary>
public abstract class SealedAttackTests<TFixture>(Func<Action<RouterHostFixture.Settings>?, Func<TFixture, Task>, Task> runAsync)
    : SealedHostTests<TFixture>(runAsync)
    where TFixture : RouterHostFixture
{
    [Fact]
    public async Task A_victims_request_re_signed_by_an_attacker_does_not_open_and_reaches_no_handler()
    {
        await Serve(async server =>
        {
            using var attacker = PrivateKey.Generate();
            const string secret = """{"pin":"4711"}""";
            var victim = Sealed(server, "POST", "/echo?name=victim", secret);

            // Everything the usrv/2 digest covers is public: the attacker names itself as sender and signs it.
            var stolen = victim.SignedBy(attacker, ServerKey);
            var answer = await stolen.SendAsync(server.Client);

            // The signature verifies (e), but HPKE's auth mode binds the victim as sender: the body does not open (g).
            AssertPlainProblem(answer, 400, "does not open");
            Assert.DoesNotContain("4711", answer.Text);
            Assert.Equal(0, Handled);

            // The attacker's attempt is recorded under the attacker's key: the victim's own request still goes through.
            var opened = AssertSealed(await victim.SendAsync(server.Client), victim, 200);
            Assert.Equal($$"""["victim","{\"pin\":\"4711\"}","{{Client.PublicKey}}"]""", Encoding.UTF8.GetString(opened));
            Assert.Equal(Client.PublicKey, LastSender);
        });
    }

    [Fact]
    public async Task A_plain_request_carrying_a_victims_key_and_nonce_is_answered_plain_and_burns_nothing()
    {
        await Serve(async server =>
        {
            var victim = Sealed(server, "POST", "/echo?name=victim", "{}");

            // The attacker drops the victim's request and sends its Nonce and Sender-Public-Key on a plain GET.
            using var forged = new HttpRequestMessage(HttpMethod.Get, "/echo?name=forged");
            forged.Headers.Add(EnvelopeHeaders.Nonce, victim.Header(EnvelopeHeaders.Nonce)!);
            forged.Headers.Add(EnvelopeHeaders.SenderPublicKey, victim.Header(EnvelopeHeaders.SenderPublicKey)!);
            using var response = await server.Client.SendAsync(forged);
            var plain = await WireAnswer.ReadAsync("GET", response);

            // A plain request: answered in clear (there is nothing sealed to forge) and no sender for the handler.
            Assert.Equal(200, plain.Status);
            Assert.False(plain.IsSealed, plain.ToString());
            Assert.Null(plain.Envelope.SenderSignature);
            Assert.Equal("""["forged",null,null]""", plain.Text);
            Assert.Null(LastSender);

            // The nonce was not burnt: the victim's sealed request with it is served.
            AssertSealed(await victim.SendAsync(server.Client), victim, 200);
            Assert.Equal(Client.PublicKey, LastSender);
        });
    }

    [Fact]
    public async Task The_answer_to_one_request_does_not_open_for_another()
    {
        await Serve(async server =>
        {
            var a = Sealed(server, "POST", "/echo?name=a", "{}");
            var b = Sealed(server, "POST", "/echo?name=b", "{}");
            var answerA = await a.SendAsync(server.Client);
            var answerB = await b.SendAsync(server.Client);
            Assert.Equal("""["a","{}",""", Encoding.UTF8.GetString(AssertSealed(answerA, a, 200))[..10]);

            // Same server, same caller, same status and type: still A's answer is signed over A's request signature only.
            var offered = Assert.Throws<EnvelopeException>(() => answerA.OpenWith(b.Sealing));
            Assert.Equal(401, offered.Status);
            Assert.Contains("answers another request", offered.Message);
            Assert.Equal(401, Assert.Throws<EnvelopeException>(() => answerB.OpenWith(a.Sealing)).Status);
            // Its status is signed too.
            Assert.Equal(401, Assert.Throws<EnvelopeException>(() => (answerA with { Status = 201 }).OpenWith(a.Sealing)).Status);
        });
    }

    [Fact]
    public async Task A_flood_of_unsigned_nonces_leaves_the_replay_store_empty_and_genuine_calls_served()
    {
        const int Flood = 2_000, Workers = 4;
        var store = new MemoryNonceStore(capacity: 64); // far below the flood: one record per request would fill it
        await Serve(async server =>
        {
            var keys = Enumerable.Range(0, Flood).Select(_ => { using var k = PrivateKey.Generate(); return k.PublicKey.ToString(); }).ToArray();
            var start = DateTimeOffset.UtcNow;

            // Over the client's keep-alive connections, a few at a time: plain GETs with distinct Nonce and Sender-Public-Key,
            // and every tenth one a full usrv/2 header set whose signature is random (refused at e, before f).
            var statuses = await Task.WhenAll(Enumerable.Range(0, Workers).Select(async worker =>
            {
                var seen = new List<int>();
                for (int i = worker; i < Flood; i += Workers)
                {
                    var nonce = Nonce.Format(start.AddTicks(i * 10));
                    if (i % 10 == 0)
                    {
                        var forged = Sealed(server, "GET", "/puk").With(EnvelopeHeaders.SenderSignature, Convert.ToBase64String(new byte[64]));
                        seen.Add((await forged.SendAsync(server.Client)).Status);
                        continue;
                    }
                    using var request = new HttpRequestMessage(HttpMethod.Get, "/puk");
                    request.Headers.Add(EnvelopeHeaders.Nonce, nonce);
                    request.Headers.Add(EnvelopeHeaders.SenderPublicKey, keys[i]);
                    using var response = await server.Client.SendAsync(request);
                    seen.Add((int)response.StatusCode);
                }
                return seen;
            }));

            var all = statuses.SelectMany(s => s).ToList();
            Assert.Equal(Flood, all.Count);
            Assert.Equal(Flood / 10, all.Count(s => s == 401));
            Assert.Equal(Flood - Flood / 10, all.Count(s => s == 200));
            Assert.Equal(0, store.Count); // nothing unsigned was ever recorded

            for (int i = 0; i < 3; i++)
            {
                var genuine = Sealed(server, "POST", $"/echo?name=g{i}", "{}");
                AssertSealed(await genuine.SendAsync(server.Client), genuine, 200);
            }
            Assert.Equal(3, store.Count);
            Assert.Equal(3, Handled);
        }, s => s.RouterOptions.ReplayGuard = new ReplayGuard(store));
    }

    [Fact]
    public async Task A_captured_request_moved_to_another_target_is_401_and_the_original_still_served()
    {
        await Serve(async server =>
        {
            var captured = Sealed(server, "POST", "/echo?name=alice", """{"pay":10}""");

            AssertPlainProblem(await (captured with { Target = "/order" }).SendAsync(server.Client), 401, "does not verify");
            AssertPlainProblem(await (captured with { Target = "/echo?name=mallory" }).SendAsync(server.Client), 401, "does not verify");
            Assert.Equal(0, Handled);

            // Refused before step f: the nonce is not burnt, and the request where it was meant to go is served.
            var opened = AssertSealed(await captured.SendAsync(server.Client), captured, 200);
            Assert.StartsWith("""["alice",""", Encoding.UTF8.GetString(opened));
            Assert.Equal(1, Handled);
        });
    }

    [Fact]
    public async Task A_request_meant_for_another_authority_of_the_same_key_is_401()
    {
        await Serve(async server =>
        {
            // Sealed for a sibling host that shares the key ring, delivered here (Host: 127.0.0.1:PORT).
            var meantElsewhere = Sealed(server, "POST", "/echo?name=alice", "{}", authority: $"api.example:{server.Port}");

            await AssertRefusedInClear(server, meantElsewhere, 401, "does not verify");
        });
    }
}

/// <summary>The attacks on the built-in <see cref="ListenerHost"/>.</summary>
public sealed class ListenerHostSealedAttackTests() : SealedAttackTests<ListenerHostFixture>(ListenerHostFixture.RunAsync);

/// <summary>The attacks on Kestrel through the ASP.NET Core adapter.</summary>
public sealed class KestrelHostSealedAttackTests() : SealedAttackTests<KestrelHostFixture>(KestrelHostFixture.RunAsync);
