using System.Diagnostics;
using System.Globalization;
using System.Text;
using Usrv.Crypto;

namespace Usrv.Client.Bench;

/// <summary>
/// <c>preseal URL METHOD TARGET [BODYFILE] COUNT OUTFILE [--round SECONDS] [--content-type TYPE]</c>: seals COUNT usrv/2
/// requests for the server at URL (its key from <c>GET /puk</c>), in parallel on every core, and writes them as complete
/// raw HTTP/1.1 requests for a load generator to replay, each exactly once (bench/http/matrix.sh replays them with wrk).
/// </summary>
/// <remarks>
/// <para>Every request has its own nonce (one caller key per batch, nonces one microsecond apart), and the nonces are
/// placed so that the whole batch lies within the server's nonce window (±10 s, <see cref="ReplayGuard.DefaultWindow"/>)
/// throughout the round that follows the sealing: the sealing time is estimated from a first sample, and the nonces are
/// centred on the middle of a round of <c>--round</c> seconds (10) starting when the file is written. A round may
/// therefore last up to 2 × window − 1 s (19 s), with ±(window − round/2) of slack for the estimate.</para>
/// <para>File format: one line <c>usrv-preseal/1 COUNT</c>, then for each request a line with its length in bytes and
/// the request's bytes (request line, Host, the six usrv/2 headers, Content-Type and Content-Length when there is a
/// body, the blank line, the sealed body). On standard output, one line:
/// <c>preseal count=N seconds=S estimate=E valid_from=UNIX valid_until=UNIX</c>, the server-clock interval (Unix seconds)
/// in which every nonce of the batch is accepted.</para>
/// </remarks>
internal static class Preseal
{
    private const int Chunks = 20;      // a batch is sealed in 20 chunks, each with its own prediction
    private const int MaxPasses = 4;    // chunks sealed again at most 3 times
    private const double WriteAllowance = 1.05; // writing the file, as a share of the sealing time
    private const double StartAllowance = 1.0;  // seconds from the file written to the load generator's first request
    private static readonly long Margin = TimeSpan.TicksPerSecond / 2;

    private const string Usage =
        "usage: preseal URL METHOD TARGET [BODYFILE] COUNT OUTFILE [--round SECONDS] [--content-type TYPE]";

    public static async Task<int> RunAsync(string[] args)
    {
        var positional = new List<string>();
        double round = 10;
        var contentType = "application/json";
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--round" && i + 1 < args.Length) round = double.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--content-type" && i + 1 < args.Length) contentType = args[++i];
            else positional.Add(args[i]);
        }
        if (positional.Count is not (5 or 6) || !int.TryParse(positional[^2], CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }
        var window = ReplayGuard.DefaultWindow.TotalSeconds;
        if (round <= 0 || round > 2 * window - 1)
        {
            await Console.Error.WriteLineAsync(
                $"preseal: a round of {round} s does not fit the server's nonce window of ±{window} s (at most {2 * window - 1} s)");
            return 2;
        }

        var (url, method, target, outFile) = (positional[0], positional[1], positional[2], positional[^1]);
        var body = positional.Count == 6 ? await File.ReadAllBytesAsync(positional[3]) : [];
        var baseUri = new Uri(url.TrimEnd('/') + "/");
        // The Host header sent, and the authority signed (in lower case, as the server compares it).
        var authority = (baseUri.IsDefaultPort ? baseUri.IdnHost : $"{baseUri.IdnHost}:{baseUri.Port}").ToLowerInvariant();
        PublicKey server;
        using (var http = new HttpClient { BaseAddress = baseUri })
        {
            server = PublicKey.Parse(System.Text.Json.JsonSerializer.Deserialize<string>(await http.GetStringAsync("puk"))!);
        }
        using var client = PrivateKey.Generate();
        var line = new RequestLine(method, authority, target, body.Length == 0 ? null : contentType);

        // A few calls JIT-compile the path, and a sample gives a first sealing rate; both are thrown away.
        var watch = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 16; i++) _ = Build(client, server, line, body, now.AddTicks(-10L * (i + 1)));
        var sample = Math.Min(count, Environment.ProcessorCount * 32);
        var sampleWatch = Stopwatch.StartNew();
        Parallel.For(0, sample, i => _ = Build(client, server, line, body, now.AddTicks(-10L * (i + 100))));
        var rate = sample / sampleWatch.Elapsed.TotalSeconds; // seals per second, updated after each chunk

        // Chunks of the batch, each sealed with nonces centred on the middle of the round that is predicted to start
        // when the whole batch is sealed and written. A chunk whose nonces do not cover the round after all (the
        // machine was slower or faster than predicted) is sealed again, with the prediction of that moment.
        var chunkSize = Math.Max(Environment.ProcessorCount * 32, (count + Chunks - 1) / Chunks);
        var chunks = Enumerable.Range(0, (count + chunkSize - 1) / chunkSize).ToList();
        var bases = new DateTimeOffset[chunks.Count];
        var batch = new byte[count][];
        var pass = 0;
        var windowTicks = ReplayGuard.DefaultWindow.Ticks;
        long span = count * 10L; // ticks: nonce i is base + i microseconds, base a multiple of the span (unique nonces)
        for (; chunks.Count > 0 && pass < MaxPasses; pass++)
        {
            for (var c = 0; c < chunks.Count; c++)
            {
                var chunk = chunks[c];
                var (from, to) = (chunk * chunkSize, Math.Min(count, (chunk + 1) * chunkSize));
                var remaining = chunks.Skip(c).Sum(k => Math.Min(count, (k + 1) * chunkSize) - k * chunkSize);
                var middle = DateTimeOffset.UtcNow.AddSeconds(remaining / rate * WriteAllowance + StartAllowance + round / 2);
                var nonceBase = new DateTimeOffset(middle.UtcTicks / span * span, TimeSpan.Zero);
                bases[chunk] = nonceBase;
                var chunkWatch = Stopwatch.StartNew();
                Parallel.For(from, to, i => batch[i] = Build(client, server, line, body, nonceBase.AddTicks(i * 10L)));
                rate = (to - from) / chunkWatch.Elapsed.TotalSeconds;
            }
            // The round runs from about now (the writing, wrk's start) to now + round: keep the chunks valid throughout.
            var ready = DateTimeOffset.UtcNow.AddSeconds(count / rate * (WriteAllowance - 1));
            chunks = [.. Enumerable.Range(0, bases.Length).Where(k => !Covers(bases[k], k, ready, round))];
        }
        await using (var file = new FileStream(outFile, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            await file.WriteAsync(Encoding.ASCII.GetBytes($"usrv-preseal/1 {count}\n"));
            foreach (var request in batch)
            {
                await file.WriteAsync(Encoding.ASCII.GetBytes(request.Length.ToString(CultureInfo.InvariantCulture) + "\n"));
                await file.WriteAsync(request);
            }
        }

        // Every nonce of the batch is accepted from validFrom to validUntil (server clock, Unix seconds).
        var validFrom = Enumerable.Range(0, bases.Length).Max(k => Last(bases[k], k) - windowTicks);
        var validUntil = Enumerable.Range(0, bases.Length).Min(k => First(bases[k], k) + windowTicks);
        static double Unix(long ticks) => (ticks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"preseal count={count} seconds={watch.Elapsed.TotalSeconds:F2} passes={pass} " +
            $"valid_from={Unix(validFrom):F3} valid_until={Unix(validUntil):F3}"));
        var written = DateTimeOffset.UtcNow.UtcTicks;
        if (written < validFrom || written + (long)(round * TimeSpan.TicksPerSecond) > validUntil)
        {
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"preseal: warning: a {round} s round from now ({Unix(written):F3}) leaves the nonces' window " +
                $"({Unix(validFrom):F3} to {Unix(validUntil):F3})"));
        }
        return 0;

        // The first and last nonce instants of chunk k (ticks), and whether they are all accepted from ready to ready + round.
        long First(DateTimeOffset nonceBase, int k) => nonceBase.UtcTicks + k * chunkSize * 10L;
        long Last(DateTimeOffset nonceBase, int k) => nonceBase.UtcTicks + (Math.Min(count, (k + 1) * chunkSize) - 1) * 10L;
        bool Covers(DateTimeOffset nonceBase, int k, DateTimeOffset ready, double seconds) =>
            Last(nonceBase, k) - windowTicks <= ready.UtcTicks - Margin &&
            First(nonceBase, k) + windowTicks >= ready.UtcTicks + (long)((seconds + StartAllowance) * TimeSpan.TicksPerSecond) + Margin;
    }

    // One sealed request as the bytes to send: request line, Host, the usrv/2 headers, Content-Type and Content-Length
    // when there is a body, the blank line, the sealed body.
    private static byte[] Build(PrivateKey client, PublicKey server, RequestLine line, byte[] body, DateTimeOffset nonce)
    {
        using var sealedRequest = UsrvEnvelope.SealRequest(client, server, line, body, nonce);
        var head = new StringBuilder(768);
        head.Append(line.Method).Append(' ').Append(line.Target).Append(" HTTP/1.1\r\nHost: ").Append(line.Authority).Append("\r\n");
        foreach (var (name, value) in sealedRequest.Headers.ToPairs()) head.Append(name).Append(": ").Append(value).Append("\r\n");
        if (line.ContentType is { } type)
        {
            head.Append("Content-Type: ").Append(type).Append("\r\nContent-Length: ")
                .Append(sealedRequest.Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }
        head.Append("\r\n");
        var bytes = new byte[Encoding.ASCII.GetByteCount(head.ToString()) + sealedRequest.Body.Length];
        var written = Encoding.ASCII.GetBytes(head.ToString(), bytes);
        sealedRequest.Body.CopyTo(bytes, written);
        return bytes;
    }
}
