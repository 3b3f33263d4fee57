using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Usrv.Crypto;

namespace Usrv.Client.Bench;

/// <summary>
/// Sealed against plain requests per second on a running usrv (issue 9): rounds alternate plain and sealed, same
/// connections, same request. Sealed requests are sealed and signed before each round, on every core, within the
/// nonce window, so the client's crypto does not cap the server's figure; answers are counted by status, not opened.
/// </summary>
internal static class SealedLoad
{
    private const int Batch = 20_000;

    public static async Task RunAsync(string url, TimeSpan round, int connections, int rounds)
    {
        var baseUri = new Uri(url.TrimEnd('/') + "/");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { BaseAddress = baseUri };
        var server = PublicKey.Parse(System.Text.Json.JsonSerializer.Deserialize<string>(await http.GetStringAsync("puk"))!);
        using var client = PrivateKey.Generate();
        var json = "{\"value1\":\"" + new string('x', 1000) + "\"}"; // a 1 KiB JSON body
        var authority = baseUri.IsDefaultPort ? baseUri.IdnHost : $"{baseUri.IdnHost}:{baseUri.Port}";

        foreach (var (name, method, target, body) in new[] { ("POST 1 KiB", "POST", "/kwargs", json), ("GET", "GET", "/test?b=12&a=Paris", null) })
        {
            var plain = new List<double>();
            var sealedRates = new List<double>();
            for (var r = 0; r < rounds; r++)
            {
                plain.Add(await Drive(http, connections, round, _ => Plain(method, target, body)));
                var batch = Seal(client, server, authority, method, target, body);
                var next = -1;
                sealedRates.Add(await Drive(http, connections, round, _ =>
                {
                    var i = Interlocked.Increment(ref next);
                    return i < batch.Length ? batch[i] : null;
                }));
            }

            var p = plain.Average();
            var s = sealedRates.Average();
            Console.WriteLine($"{name,-12} plain {p,9:F0} req/s   sealed {s,9:F0} req/s   sealed/plain {s / p:F3}   ({rounds} alternating rounds, {connections} connections)");
        }
    }

    private static HttpRequestMessage Plain(string method, string target, string? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), target);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return request;
    }

    private static HttpRequestMessage[] Seal(PrivateKey client, PublicKey server, string authority, string method, string target, string? body)
    {
        var contentType = body is null ? null : "application/json; charset=utf-8";
        var plaintext = body is null ? [] : Encoding.UTF8.GetBytes(body);
        var batch = new HttpRequestMessage[Batch];
        var clock = DateTimeOffset.UtcNow.UtcTicks / 10 * 10;
        Parallel.For(0, Batch, i =>
        {
            // Distinct microseconds: each nonce is used once.
            using var sealedRequest = UsrvEnvelope.SealRequest(client, server, new RequestLine(method, authority, target, contentType), plaintext,
                new DateTimeOffset(clock + (i * 10L), TimeSpan.Zero));
            var request = new HttpRequestMessage(new HttpMethod(method), target);
            foreach (var (header, value) in sealedRequest.Headers.ToPairs()) request.Headers.TryAddWithoutValidation(header, value);
            if (contentType is not null)
            {
                request.Content = new ByteArrayContent(sealedRequest.Body);
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }

            batch[i] = request;
        });
        return batch;
    }

    // Requests per second answered 200 over the round (or until the requests run out).
    private static async Task<double> Drive(HttpClient http, int connections, TimeSpan round, Func<int, HttpRequestMessage?> next)
    {
        long ok = 0, failed = 0;
        var watch = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, connections).Select(async _ =>
        {
            while (watch.Elapsed < round && next(0) is { } request)
            {
                using (request)
                using (var response = await http.SendAsync(request).ConfigureAwait(false))
                {
                    await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                    if ((int)response.StatusCode == 200) Interlocked.Increment(ref ok);
                    else Interlocked.Increment(ref failed);
                }
            }
        });
        await Task.WhenAll(loops);
        var seconds = watch.Elapsed.TotalSeconds;
        if (failed > 0) Console.WriteLine($"  ({failed} answers were not 200)");
        return ok / seconds;
    }
}
