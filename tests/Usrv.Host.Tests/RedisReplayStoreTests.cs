using System.Text;
using Usrv.Crypto;
using Usrv.Route;

namespace Usrv.Host.Tests;

/// <summary>The replay store on Redis (DESIGN section 8, issue 10): shared by instances, 503 when Redis is away, never a silent accept.</summary>
public sealed class RedisReplayStoreTests : IDisposable
{
    private const string Authority = "127.0.0.1:5000";
    private readonly PrivateKey _server = PrivateKey.Generate();
    private readonly PrivateKey _client = PrivateKey.Generate();

    public void Dispose()
    {
        _server.Dispose();
        _client.Dispose();
    }

    private Router NewInstance(RedisNonceStore store) =>
        new Router(new RouterOptions { Identity = _server, ReplayGuard = new ReplayGuard(store) })
            .Bind("/echo", (object? data) => (200, data), "POST");

    private SealedRequest Seal() =>
        UsrvEnvelope.SealRequest(_client, _server.PublicKey, new RequestLine("POST", Authority, "/echo", "application/json"), "{}"u8, DateTimeOffset.UtcNow);

    private static UsrvRequest Send(SealedRequest sealedRequest) =>
        new("POST", "/echo", RequestHeaders.From([.. sealedRequest.Headers.ToPairs(), new("Host", Authority), new("Content-Type", "application/json")]),
            new MemoryStream(sealedRequest.Body)) { ContentLength = sealedRequest.Body.Length };

    [RedisFact]
    public async Task A_request_accepted_by_one_instance_is_a_412_at_another_sharing_the_redis()
    {
        using var own = RedisServer.Shared is null ? RedisServer.Start() : null;
        var url = RedisServer.Shared ?? own!.Url;
        using var first = await RedisNonceStore.ConnectAsync(url);
        using var second = await RedisNonceStore.ConnectAsync(url);
        var a = NewInstance(first);
        var b = NewInstance(second);

        using var request = Seal();
        Assert.Equal(200, (await a.HandleAsync(Send(request))).Status);
        var replay = await b.HandleAsync(Send(request));
        Assert.Equal(412, replay.Status);
        Assert.Contains("replayed", replay.BodyText);

        using var fresh = Seal();
        Assert.Equal(200, (await b.HandleAsync(Send(fresh))).Status);
    }

    [RedisFact]
    public async Task An_entry_lives_until_the_nonce_instant_plus_the_window()
    {
        using var own = RedisServer.Shared is null ? RedisServer.Start() : null;
        using var store = await RedisNonceStore.ConnectAsync(RedisServer.Shared ?? own!.Url);
        var now = DateTimeOffset.UtcNow;
        var key = new NonceKey(_client.PublicKey, now);
        Assert.Equal(NonceRecordResult.Recorded, await store.RecordAsync(key, now.AddSeconds(2), now));
        Assert.Equal(NonceRecordResult.Replayed, await store.RecordAsync(key, now.AddSeconds(2), now));
        await Task.Delay(2500); // PX 2000: gone after its expiry
        Assert.Equal(NonceRecordResult.Recorded, await store.RecordAsync(key, now.AddSeconds(2), now));
    }

    [RedisFact]
    public async Task Redis_stopped_mid_run_gives_503_then_service_again_when_it_is_back()
    {
        using var redis = RedisServer.Start();
        using var store = await RedisNonceStore.ConnectAsync(redis.Url);
        var router = NewInstance(store);
        using (var before = Seal()) Assert.Equal(200, (await router.HandleAsync(Send(before))).Status);

        redis.Stop();
        using (var during = Seal())
        {
            var refused = await router.HandleAsync(Send(during));
            Assert.Equal(503, refused.Status);
            Assert.Contains("cannot be reached", refused.BodyText);
        }

        redis.Restart();
        var status = 0;
        for (var attempt = 0; attempt < 100 && status != 200; attempt++)
        {
            using var after = Seal();
            status = (await router.HandleAsync(Send(after))).Status;
            if (status != 200) await Task.Delay(100);
        }

        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Usrv_with_an_unreachable_replay_store_says_so_in_one_line_and_exits_2()
    {
        var port = ListenerHostFixture.FreePort(System.Net.IPAddress.Loopback).ToString();
        await using var usrv = UsrvProcess.Start(UsrvProcess.RepositoryRoot, "-p", port, "--replay-store", "redis://127.0.0.1:1");
        Assert.Equal(2, await usrv.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains(usrv.Error, line => line == "usrv: cannot use the replay store redis://127.0.0.1:1: Redis does not answer there");
    }
}

/// <summary><c>usrv --senders FILE</c> (issue 10): every binding admits only sealed calls from the file's keys.</summary>
public sealed class SendersFileEndToEndTests
{
    [Fact]
    public async Task Usrv_with_senders_admits_only_those_keys_401_plain_403_sealed()
    {
        using var partner = PrivateKey.Generate();
        using var stranger = PrivateKey.Generate();
        var file = Path.GetTempFileName();
        File.WriteAllLines(file, ["# partners", partner.PublicKey + "   # the partner", ""]);
        try
        {
            var port = ListenerHostFixture.FreePort(System.Net.IPAddress.Loopback);
            var baseAddress = new Uri($"http://127.0.0.1:{port}/");
            await using var usrv = UsrvProcess.Start(UsrvProcess.RepositoryRoot, new Dictionary<string, string?> { ["USRV_SECRET"] = "senders test secret" },
                "-p", port.ToString(), "-l", "30", "--senders", file);
            using var serverKey = PrivateKey.FromSecret("senders test secret");
            using var client = new HttpClient { BaseAddress = baseAddress, Timeout = UsrvHostFixture.RequestTimeout };
            var deadline = DateTime.UtcNow.AddSeconds(20);
            HttpResponseMessage? plain = null;
            while (plain is null && DateTime.UtcNow < deadline)
            {
                try { plain = await client.GetAsync("/test?a=1"); }
                catch (HttpRequestException) { await Task.Delay(100); }
            }

            Assert.NotNull(plain);
            Assert.Equal(401, (int)plain.StatusCode);

            using var admitted = new Usrv.Route.Client.Peer(baseAddress.ToString(), new Usrv.Route.Client.PeerOptions { ServerKey = serverKey.PublicKey, Identity = partner });
            Assert.Equal(new[] { "1", null }, await admitted.GetAsync<string?[]>("/test", new { a = 1 }));

            using var other = new Usrv.Route.Client.Peer(baseAddress.ToString(), new Usrv.Route.Client.PeerOptions { ServerKey = serverKey.PublicKey, Identity = stranger });
            var refused = await Assert.ThrowsAsync<Usrv.Route.Client.UsrvCallException>(() => other.GetAsync<string?[]>("/test", new { a = 1 }));
            Assert.Equal(403, refused.Status);
            Assert.True(refused.IsAuthenticated);
            usrv.Terminate();
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_senders_file_with_a_bad_line_names_it_and_exits_2()
    {
        var file = Path.GetTempFileName();
        File.WriteAllLines(file, ["# keys", "not a key"]);
        try
        {
            var port = ListenerHostFixture.FreePort(System.Net.IPAddress.Loopback).ToString();
            await using var usrv = UsrvProcess.Start(UsrvProcess.RepositoryRoot, "-p", port, "--senders", file);
            Assert.Equal(2, await usrv.WaitForExitAsync(TimeSpan.FromSeconds(20)));
            Assert.Contains(usrv.Error, line => line.Contains("line 2 is not a secp256k1 public key"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}

/// <summary>Two <c>usrv</c> processes behind one name (as behind a load balancer) sharing one Redis replay store.</summary>
public sealed class SharedReplayStoreEndToEndTests
{
    [RedisFact]
    public async Task A_request_accepted_by_one_usrv_is_a_412_at_the_other()
    {
        using var own = RedisServer.Shared is null ? RedisServer.Start() : null;
        var redis = RedisServer.Shared ?? own!.Url;
        const string secret = "shared replay store secret";
        var env = new Dictionary<string, string?> { ["USRV_SECRET"] = secret };
        var portA = ListenerHostFixture.FreePort(System.Net.IPAddress.Loopback);
        var portB = ListenerHostFixture.FreePort(System.Net.IPAddress.Loopback);
        await using var a = UsrvProcess.Start(UsrvProcess.RepositoryRoot, env, "-p", portA.ToString(), "-l", "30", "--server", "kestrel", "--replay-store", redis);
        await using var b = UsrvProcess.Start(UsrvProcess.RepositoryRoot, env, "-p", portB.ToString(), "-l", "30", "--server", "kestrel", "--replay-store", redis);
        await a.WaitUntilServingAsync(new Uri($"http://127.0.0.1:{portA}/"), TimeSpan.FromSeconds(20));
        await b.WaitUntilServingAsync(new Uri($"http://127.0.0.1:{portB}/"), TimeSpan.FromSeconds(20));

        using var server = PrivateKey.FromSecret(secret);
        using var client = PrivateKey.Generate();
        // The one name both instances serve (Kestrel: the built-in listener answers only its own host names until issue 12).
        const string name = "api.example:443";
        using var sealedRequest = UsrvEnvelope.SealRequest(client, server.PublicKey, new RequestLine("POST", name, "/kwargs", "application/json"), "{}"u8, DateTimeOffset.UtcNow);

        async Task<int> SendTo(int port)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/kwargs") { Content = new ByteArrayContent(sealedRequest.Body) };
            request.Headers.Host = name;
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            foreach (var (header, value) in sealedRequest.Headers.ToPairs()) request.Headers.TryAddWithoutValidation(header, value);
            using var response = await http.SendAsync(request);
            return (int)response.StatusCode;
        }

        Assert.Equal(200, await SendTo(portA));
        Assert.Equal(412, await SendTo(portB));
        a.Terminate();
        b.Terminate();
    }
}
