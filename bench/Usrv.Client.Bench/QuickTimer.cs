using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Usrv.Host;
using Usrv.Route;
using Usrv.Route.Client;

namespace Usrv.Client.Bench;

/// <summary>
/// A Stopwatch A/B timer for a busy machine: rounds interleave every operation and keep, per operation, the best and the
/// median batch mean (µs). End to end against a loopback host as <see cref="ClientCallBenchmarks"/>, then client side only
/// against an in-memory handler that answers what the host answers (no socket, no server: the client's own cost).
/// </summary>
internal static class QuickTimer
{
    private static readonly byte[] Answer = """["Paris","12"]"""u8.ToArray();

    public static async Task RunAsync()
    {
        var benchmarks = new ClientCallBenchmarks();
        await benchmarks.Setup();
        using var sendPeer = new Peer(benchmarks.BaseAddress);
        using var pooled = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { BaseAddress = new Uri(benchmarks.BaseAddress), Timeout = Timeout.InfiniteTimeSpan };
        await Report("end to end, loopback built-in host", 2000,
        [
            ("plain HttpClient GetByteArrayAsync", async () => await benchmarks.PlainHttpClient()),
            ("dynamic GET.test(b: 12, a: \"Paris\")", () => benchmarks.DynamicBuilder()),
            ("typed GetAsync<string[]>", async () => await benchmarks.TypedGetAsync()),
            ("Peer.SendAsync(PeerCall) (no dynamic)", async () => await sendPeer.SendAsync(Call())),
            ("  HttpClient on a handler like Peer's", async () => await pooled.GetByteArrayAsync("/test?b=12&a=Paris")),
            ("  HttpClient as Peer sends (CTS, SendAsync)", async () => await SendLikePeer(pooled, "/test?b=12&a=Paris")),
            ("  + header dictionary as Peer.ReadAsync", async () => await SendLikePeer(pooled, "/test?b=12&a=Paris", headers: true)),
            ("  + decode as Peer.DecodeAsync", async () => await SendLikePeer(pooled, "/test?b=12&a=Paris", headers: true, decode: true)),
            ("  proposed: NonValidated lookups + decode", async () => await SendLean(pooled, "/test?b=12&a=Paris")),
        ]);
        await benchmarks.Cleanup();

        using var http = new HttpClient(new CannedHandler()) { BaseAddress = new Uri("http://127.0.0.1:5000/") };
        using var peer = new Peer("http://127.0.0.1:5000", new PeerOptions { Handler = new CannedHandler() });
        dynamic get = peer.Get;
        await Report("client side only, in-memory handler", 20_000,
        [
            ("plain HttpClient GetByteArrayAsync", async () => await http.GetByteArrayAsync("/test?b=12&a=Paris")),
            ("dynamic GET.test(b: 12, a: \"Paris\")", async () => await get.test(b: 12, a: "Paris")),
            ("typed GetAsync<string[]>", async () => await peer.GetAsync<string[]>("/test", new { b = 12, a = "Paris" })),
            ("Peer.SendAsync(PeerCall) (no dynamic)", async () => await peer.SendAsync(Call())),
            ("  HttpClient as Peer sends (CTS, SendAsync)", async () => await SendLikePeer(http, "/test?b=12&a=Paris")),
            ("  + header dictionary as Peer.ReadAsync", async () => await SendLikePeer(http, "/test?b=12&a=Paris", headers: true)),
            ("  + decode as Peer.DecodeAsync", async () => await SendLikePeer(http, "/test?b=12&a=Paris", headers: true, decode: true)),
            ("  proposed: NonValidated lookups + decode", async () => await SendLean(http, "/test?b=12&a=Paris")),
            ("  PlainJson.Parse of the answer", () => Task.FromResult(PlainJson.Parse(Answer))),
        ]);
    }

    /// <summary>What <see cref="Peer.SendAsync"/> does for a plain GET, step by step (to find where its time goes).</summary>
    private static async Task<object?> SendLikePeer(HttpClient http, string target, bool headers = false, bool decode = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(http.BaseAddress!, target));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken.None);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
        if (headers)
        {
            var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers)) all[name] = string.Join(", ", values);
            var envelope = Usrv.Crypto.ResponseEnvelope.From(name => all.GetValueOrDefault(name));
            if (envelope.Scheme is not null) throw new InvalidOperationException();
        }
        if (!decode) return body;
        var contentType = response.Content.Headers.ContentType?.ToString();
        _ = MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed.MediaType : "";
        return PlainJson.Parse(body);
    }

    /// <summary>
    /// The proposed read path: the four envelope headers and the content type looked up without validation
    /// (<see cref="HttpHeaders.NonValidated"/>: no parsing of Date, Server...), no header dictionary unless asked for.
    /// </summary>
    private static async Task<object?> SendLean(HttpClient http, string target)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(http.BaseAddress!, target));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken.None);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
        var raw = response.Headers.NonValidated;
        var envelope = Usrv.Crypto.ResponseEnvelope.From(name => raw.TryGetValues(name, out var values) ? values.ToString() : null);
        if (envelope.Scheme is not null) throw new InvalidOperationException();
        var contentType = response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var type) ? type.ToString() : "";
        return contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ? PlainJson.Parse(body) : body;
    }

    private static PeerCall Call()
    {
        var call = new PeerCall(HttpMethod.Get, "/test");
        call.Values.Add(new("b", 12));
        call.Values.Add(new("a", "Paris"));
        return call;
    }

    private static async Task Report(string title, int perBatch, (string Name, Func<Task<object?>> Call)[] operations)
    {
        const int rounds = 40;
        var batches = operations.Select(_ => new List<double>()).ToArray();
        foreach (var (_, call) in operations) for (int i = 0; i < perBatch / 10 + 10; i++) await call(); // warm-up
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < operations.Length; i++)
            {
                var watch = Stopwatch.StartNew();
                for (int n = 0; n < perBatch / 10; n++) await operations[i].Call();
                batches[i].Add(watch.Elapsed.TotalMicroseconds / (perBatch / 10));
            }
        }
        Console.WriteLine($"{title}: best / median batch mean of {rounds} interleaved rounds");
        double baseBest = batches[0].Min(), baseMedian = Median(batches[0]);
        for (int i = 0; i < operations.Length; i++)
        {
            double best = batches[i].Min(), median = Median(batches[i]);
            Console.WriteLine($"  {operations[i].Name,-40} {best,8:F1} µs ({best / baseBest,5:F2}x)   {median,8:F1} µs ({median / baseMedian,5:F2}x)");
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>Answers every request as the built-in host answers <c>GET /test?b=12&amp;a=Paris</c>.</summary>
    private sealed class CannedHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new ByteArrayContent(Answer);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");
            content.Headers.ContentLength = Answer.Length;
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
            response.Headers.TryAddWithoutValidation("Server", "Microsoft-NetCore/2.0");
            response.Headers.TryAddWithoutValidation("Date", "Sun, 22 Nov 2026 02:00:00 GMT");
            return Task.FromResult(response);
        }
    }
}
