using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Usrv.Host;
using Usrv.Route;
using Usrv.Route.Client;

namespace Usrv.Client.Bench;

/// <summary>
/// Issue 4's memory figure: uploads one large multipart file part to a host in this process and reports the managed
/// heap — <c>GC.GetTotalMemory(true)</c> at idle before and after, and the peak of <c>GC.GetTotalMemory(false)</c>
/// sampled every millisecond during the upload (garbage not yet collected included, so an upper bound) — plus the bytes
/// allocated meanwhile. The client streams the file (<see cref="StreamContent"/> over a <see cref="FileStream"/>), so
/// what grows is the server's doing; the client's few buffers are counted too (this is one process).
/// </summary>
internal static class UploadMemory
{
    [Bind("/upload", "POST")]
    public static (int, string?, long) Upload(FormData form) => (200, form["title"], form.Get("photo")?.Length ?? 0);

    private sealed record Figure(long Idle, long Peak, long After, long Allocated, int Gen0, int Gen1, int Gen2, TimeSpan Elapsed);

    public static async Task RunAsync(int mebibytes)
    {
        var folder = Directory.CreateTempSubdirectory("usrv-upload-memory-").FullName;
        try
        {
            var big = Path.Combine(folder, "photo.bin");
            var small = Path.Combine(folder, "small.bin");
            await WriteFileAsync(big, mebibytes * 1024L * 1024);
            await WriteFileAsync(small, 1024);
            Console.WriteLine($"upload of one {mebibytes} MiB file part; GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, concurrent={AppContext.GetData("System.GC.Concurrent") ?? "default"}");
            Console.WriteLine("host      client         size      idle MB  peak-idle MB  after-idle MB  allocated MB  gen0/1/2  time");
            foreach (var kestrel in new[] { false, true })
            {
                foreach (var viaPeer in new[] { false, true })
                {
                    await using var host = await LoopbackHost.StartAsync(new Router().BindType(typeof(UploadMemory)), kestrel);
                    using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
                    using var peer = new Peer(host.BaseAddress.ToString(), new PeerOptions { Timeout = TimeSpan.FromSeconds(120) });
                    Func<string, Task<long>> upload = viaPeer ? file => UploadWithPeerAsync(peer, file) : file => UploadWithHttpClientAsync(http, file);
                    await upload(big);   // warm-up: JIT, connection, pools
                    await upload(small);
                    var label = $"{(kestrel ? "kestrel " : "listener")}  {(viaPeer ? "Peer (dynamic)" : "HttpClient    ")}";
                    Print(label, "1 KiB", await MeasureAsync(() => upload(small), 1024));
                    for (int run = 1; run <= 3; run++)
                    {
                        Print(label, $"{mebibytes} MiB", await MeasureAsync(() => upload(big), mebibytes * 1024L * 1024));
                    }
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Print(string label, string size, Figure f)
    {
        static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.00", CultureInfo.InvariantCulture).PadLeft(8);
        Console.WriteLine($"{label} {size,8}  {Mb(f.Idle)}  {Mb(f.Peak - f.Idle),12}  {Mb(f.After - f.Idle),13}  {Mb(f.Allocated),12}  {f.Gen0,3}/{f.Gen1}/{f.Gen2}  {f.Elapsed.TotalMilliseconds,6:0} ms");
    }

    private static async Task<Figure> MeasureAsync(Func<Task<long>> upload, long expectedLength)
    {
        long idle = GC.GetTotalMemory(forceFullCollection: true);
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        long peak = idle;
        using var stop = new CancellationTokenSource();
        var sampler = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                long now = GC.GetTotalMemory(forceFullCollection: false);
                if (now > Interlocked.Read(ref peak)) Interlocked.Exchange(ref peak, now);
                Thread.Sleep(1);
            }
        }) { IsBackground = true, Priority = ThreadPriority.AboveNormal };
        var clock = Stopwatch.StartNew();
        sampler.Start();
        long length = await upload();
        clock.Stop();
        stop.Cancel();
        sampler.Join();
        if (length != expectedLength) throw new InvalidOperationException($"the handler read {length} bytes, not {expectedLength}");
        long allocatedDuring = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        int g0 = GC.CollectionCount(0) - gen0, g1 = GC.CollectionCount(1) - gen1, g2 = GC.CollectionCount(2) - gen2;
        long after = GC.GetTotalMemory(forceFullCollection: true);
        return new Figure(idle, Interlocked.Read(ref peak), after, allocatedDuring, g0, g1, g2, clock.Elapsed);
    }

    /// <summary>A plain HttpClient that streams the file: nothing of it is buffered on the client side.</summary>
    private static async Task<long> UploadWithHttpClientAsync(HttpClient http, string path)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("holiday"), "title");
        var photo = new StreamContent(file, 64 * 1024);
        photo.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(photo, "photo", Path.GetFileName(path));
        using var response = await http.PostAsync("/upload", form);
        response.EnsureSuccessStatusCode();
        var answer = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync()).RootElement;
        return answer[1].GetInt64();
    }

    /// <summary>README's call: <c>POST.upload(form: form)</c> through the dynamic builder.</summary>
    private static async Task<long> UploadWithPeerAsync(Peer peer, string path)
    {
        dynamic POST = peer.Post;
        using var form = new FormData().Add("title", "holiday").AddFile("photo", path);
        List<object?> answer = await POST.upload(form: form);
        return Convert.ToInt64(answer[1], CultureInfo.InvariantCulture);
    }

    private static async Task WriteFileAsync(string path, long size)
    {
        var piece = new byte[1024 * 1024];
        new Random(4).NextBytes(piece);
        await using var file = File.Create(path);
        for (long written = 0; written < size; written += piece.Length)
        {
            await file.WriteAsync(piece.AsMemory(0, (int)Math.Min(piece.Length, size - written)));
        }
    }
}
