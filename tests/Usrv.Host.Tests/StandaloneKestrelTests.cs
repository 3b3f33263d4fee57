using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Usrv.Host.AspNetCore;
using Usrv.Route;

namespace Usrv.Host.Tests;

/// <summary>
/// <c>usrv --server kestrel</c> (the standalone <see cref="KestrelHost"/>) runs the usrv chain as Kestrel's application,
/// with none of ASP.NET Core's per-request hosting diagnostics, while <c>MapUsrv</c> inside an application keeps them
/// (and its routing), as issue 16 asks. ASP.NET Core's hosting layer announces every request it runs on the
/// <c>Microsoft.AspNetCore</c> diagnostic listener (<c>Microsoft.AspNetCore.Hosting.HttpRequestIn</c>): the standalone
/// host's requests must not appear there.
/// </summary>
public sealed class StandaloneKestrelTests
{
    /// <summary>Collects the ports of the requests ASP.NET Core's hosting layer announced, from every app in the process.</summary>
    private sealed class HostingRequests : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly IDisposable _all;
        private readonly List<IDisposable> _subscriptions = [];
        private readonly HashSet<int> _ports = [];

        public HostingRequests() => _all = DiagnosticListener.AllListeners.Subscribe(this);

        public bool Saw(int port)
        {
            lock (_ports) return _ports.Contains(port);
        }

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name != "Microsoft.AspNetCore") return;
            var subscription = listener.Subscribe(this, (name, _, _) => name.StartsWith("Microsoft.AspNetCore.Hosting", StringComparison.Ordinal));
            lock (_subscriptions) _subscriptions.Add(subscription);
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == "Microsoft.AspNetCore.Hosting.BeginRequest" && value.Value is { } payload
                && payload.GetType().GetProperty("httpContext")?.GetValue(payload) is HttpContext context
                && context.Connection.LocalPort is > 0 and var port)
            {
                lock (_ports) _ports.Add(port);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            _all.Dispose();
            lock (_subscriptions) _subscriptions.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task The_standalone_host_answers_without_ASP_NET_Core_hosting_and_MapUsrv_keeps_it()
    {
        using var announced = new HostingRequests();
        var router = new Router().BindType(typeof(DemoBindings));

        // The standalone host: usrv --server kestrel.
        int port = ListenerHostFixture.FreePort(IPAddress.Loopback);
        await using (var host = new KestrelHost(router, new UsrvHostOptions { Port = port }))
        {
            await host.StartAsync();
            using var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = UsrvHostFixture.RequestTimeout };
            for (int i = 0; i < 3; i++) // one connection, several requests: the context Kestrel keeps for it is reused
            {
                Assert.Equal("[\"Paris\",\"12\"]", await client.GetStringAsync("/test?b=12&a=Paris"));
            }
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/nowhere")).StatusCode);
        }
        Assert.False(announced.Saw(port), "the standalone host's requests went through ASP.NET Core's hosting layer");

        // MapUsrv in an application of its own: ASP.NET Core's hosting and routing stay.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.MapUsrv(router);
        await app.StartAsync();
        var url = new Uri(app.Urls.Single());
        using (var client = new HttpClient { BaseAddress = url, Timeout = UsrvHostFixture.RequestTimeout })
        {
            Assert.Equal("[\"Paris\",\"12\"]", await client.GetStringAsync("/test?b=12&a=Paris"));
        }
        Assert.True(announced.Saw(url.Port), "MapUsrv's requests should run through ASP.NET Core's hosting layer");
        await app.StopAsync();
    }

    [Fact]
    public async Task The_standalone_host_logs_the_requests_in_flight_when_it_stops_and_lets_them_finish()
    {
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        var router = new Router().Bind("/slow", async () =>
        {
            started.TrySetResult();
            await release.Task;
            return (200, "done");
        });
        var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        int port = ListenerHostFixture.FreePort(IPAddress.Loopback);
        var host = new KestrelHost(router, new UsrvHostOptions { Port = port, ShutdownTimeout = TimeSpan.FromSeconds(5) }, loggers: loggers);
        await host.StartAsync();
        using var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = UsrvHostFixture.RequestTimeout };
        var answer = client.GetStringAsync("/slow");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(5));

        var stopping = host.StopAsync();
        await WaitFor(() => logs.Lines.Any(l => l.Message.Contains("waiting for 1 requests in flight", StringComparison.Ordinal)));
        release.SetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("\"done\"", await answer);
        Assert.Contains(logs.Lines, l => l.Message == "usrv stopped");
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        for (int i = 0; i < 100 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition());
    }
}
