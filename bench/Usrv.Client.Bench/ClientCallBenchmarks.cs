using BenchmarkDotNet.Attributes;
using Usrv.Host;
using Usrv.Route;
using Usrv.Route.Client;

namespace Usrv.Client.Bench;

/// <summary>
/// The same request, <c>GET /test?b=12&amp;a=Paris</c> (answer <c>["Paris","12"]</c>), to a built-in host in this process:
/// through a plain <see cref="HttpClient"/>, through the <c>dynamic</c> endpoint builder of a <see cref="Peer"/>, and through
/// its typed API. Target (issue 4): the dynamic path adds no more than 10% to the plain call.
/// </summary>
[MemoryDiagnoser]
public class ClientCallBenchmarks
{
    private IUsrvHost? _host;
    private HttpClient _http = null!;
    private Peer _peer = null!;
    private dynamic _get = null!;

    /// <summary>The host's address (for <see cref="QuickTimer"/>).</summary>
    public string BaseAddress => _http.BaseAddress!.ToString();

    [GlobalSetup]
    public async Task Setup()
    {
        // USRV_BENCH_URL points at a usrv started apart (e.g. pinned to another core with taskset), which keeps the
        // server's work out of the client's timings; without it a built-in host runs in this process.
        var external = Environment.GetEnvironmentVariable("USRV_BENCH_URL");
        _host = external is null ? await LoopbackHost.StartAsync(new Router().BindType(typeof(DemoBindings)), kestrel: false) : null;
        var baseAddress = external is null ? _host!.BaseAddress : new Uri(external);
        _http = new HttpClient { BaseAddress = baseAddress };
        _peer = new Peer(baseAddress.ToString());
        _get = _peer.Get;
        // The three must answer the same.
        var plain = System.Text.Encoding.UTF8.GetString(await PlainHttpClient());
        var dynamicAnswer = System.Text.Json.JsonSerializer.Serialize(await DynamicBuilder());
        var typed = System.Text.Json.JsonSerializer.Serialize(await TypedGetAsync());
        if (plain != """["Paris","12"]""" || dynamicAnswer != plain || typed != plain)
            throw new InvalidOperationException($"the calls disagree: {plain} / {dynamicAnswer} / {typed}");
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _peer.Dispose();
        _http.Dispose();
        if (_host is not null) await _host.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public Task<byte[]> PlainHttpClient() => _http.GetByteArrayAsync("/test?b=12&a=Paris");

    [Benchmark]
    public async Task<object?> DynamicBuilder() => await _get.test(b: 12, a: "Paris");

    [Benchmark]
    public Task<string[]?> TypedGetAsync() => _peer.GetAsync<string[]>("/test", new { b = 12, a = "Paris" });

    // ---- where the time goes (not part of the target): the Peer without the dynamic layer, and HttpClient doing
    //      what Peer.SendAsync does around the send (a linked CTS with CancelAfter, SendAsync, ReadAsByteArrayAsync).

    [Benchmark]
    public Task<PeerResponse> PeerSendAsyncNoDynamic()
    {
        var call = new PeerCall(HttpMethod.Get, "/test");
        call.Values.Add(new("b", 12));
        call.Values.Add(new("a", "Paris"));
        return _peer.SendAsync(call);
    }

    [Benchmark]
    public async Task<byte[]> HttpClientSendingAsPeerDoes()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_http.BaseAddress!, "/test?b=12&a=Paris"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken.None);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
    }
}
