using System.Net;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Usrv.Route.Tests;

/// <summary>Parameter sources added from outside the core, and services from dependency injection.</summary>
public class ParameterSourceTests
{
    /// <summary>A source of the test project's own: an <see cref="IPAddress"/> parameter gets the caller's address.</summary>
    private sealed class ClientAddressSource : IParameterSource
    {
        public ParameterBinder? TryCreate(EndpointParameter parameter) =>
            parameter.Type == typeof(IPAddress)
                ? ParameterBinder.From(context => IPEndPoint.Parse(context.Request.RemoteAddress).Address)
                : null;
    }

    /// <summary>The tenant named by the <c>X-Tenant</c> header; a required tenant that is missing is a 400.</summary>
    public sealed record Tenant(string Name);

    private sealed class TenantSource : IParameterSource
    {
        public ParameterBinder? TryCreate(EndpointParameter parameter)
        {
            if (parameter.Type != typeof(Tenant)) return null;
            if (parameter.Name != "tenant") throw parameter.Refuse("must be named 'tenant'");
            return new TenantBinder(parameter);
        }

        private sealed class TenantBinder(EndpointParameter parameter) : ParameterBinder
        {
            public override object? GetValue(ParameterBindingContext context) =>
                context.Request.Headers["X-Tenant"] is { } name ? new Tenant(name)
                    : throw new ProblemException(400, $"parameter '{parameter.Name}': send the tenant in X-Tenant");
        }
    }

    private static RouterOptions WithSources() =>
        new() { ParameterSources = { new ClientAddressSource(), new TenantSource() } };

    [Fact]
    public async Task A_source_added_in_the_options_fills_its_parameters()
    {
        var router = new Router(WithSources()).Bind("/where", (IPAddress caller, string? a) => (200, caller.ToString(), a));

        var response = await router.HandleAsync(new UsrvRequest("GET", "/where?a=1") { RemoteAddress = "192.0.2.7:50123" });

        Assert.Equal("""["192.0.2.7","1"]""", response.BodyText);
    }

    [Fact]
    public async Task A_source_takes_precedence_over_the_json_body_and_answers_its_own_problems()
    {
        var router = new Router(WithSources()).Bind("/tenant", (Tenant tenant) => (200, tenant.Name));

        Assert.Equal("\"acme\"", (await router.Send("GET", "/tenant", headers: ("X-Tenant", "acme"))).BodyText);
        var missing = await router.Get("/tenant");
        Assert.Equal(400, missing.Status);
        Assert.Equal("parameter 'tenant': send the tenant in X-Tenant", missing.Detail());
    }

    [Fact]
    public void A_source_can_refuse_a_parameter_at_bind_time()
    {
        var error = Assert.Throws<BindingException>(() => new Router(WithSources()).Bind("/t", (Tenant owner) => (200, owner.Name)));
        Assert.Contains("parameter 'owner' must be named 'tenant'", error.Message);
    }

    [Fact]
    public async Task Without_the_source_the_same_parameter_is_read_from_a_json_body()
    {
        var router = new Router().Bind("/tenant", (Tenant tenant) => (200, tenant.Name), "POST");

        Assert.Equal("\"acme\"", (await router.Send("POST", "/tenant", """{"name":"acme"}""", "application/json")).BodyText);
    }

    public sealed class Counter
    {
        private int _count;
        public int Next() => Interlocked.Increment(ref _count);
    }

    public sealed class RequestScoped : IDisposable
    {
        public static int Disposed;
        public Guid Id { get; } = Guid.NewGuid();
        public void Dispose() => Interlocked.Increment(ref Disposed);
    }

    public interface IGreeter
    {
        string Greet(string name);
    }

    private sealed class Greeter : IGreeter
    {
        public string Greet(string name) => $"hello {name}";
    }

    private static ServiceProvider Services() => new ServiceCollection()
        .AddSingleton<Counter>()
        .AddScoped<RequestScoped>()
        .AddSingleton<IGreeter, Greeter>()
        .BuildServiceProvider();

    [Fact]
    public async Task Services_the_provider_can_resolve_are_injected_as_in_minimal_apis()
    {
        using var services = Services();
        var router = new Router(new RouterOptions { Services = services })
            .Bind("/greet/<name>", (string name, IGreeter greeter, Counter counter) => (200, greeter.Greet(name), counter.Next()));

        Assert.Equal("""["hello bob",1]""", (await router.Get("/greet/bob")).BodyText);
        Assert.Equal("""["hello ann",2]""", (await router.Get("/greet/ann")).BodyText);
    }

    [Fact]
    public async Task Scoped_services_live_as_long_as_one_request()
    {
        using var services = Services();
        var router = new Router(new RouterOptions { Services = services })
            .Bind("/scoped", (RequestScoped first, [FromServices] RequestScoped second) => (200, first.Id == second.Id, first.Id));
        int disposedBefore = RequestScoped.Disposed;

        var one = await router.Get("/scoped");
        var two = await router.Get("/scoped");

        Assert.Equal("true", one.Json()[0].ToString().ToLowerInvariant());
        Assert.NotEqual(one.Json()[1].GetString(), two.Json()[1].GetString());
        Assert.Equal(disposedBefore + 2, RequestScoped.Disposed);
    }

    [Fact]
    public async Task A_FromServices_parameter_without_a_registration_is_a_500_and_an_optional_one_is_null()
    {
        using var services = new ServiceCollection().BuildServiceProvider();
        var router = new Router(new RouterOptions { Services = services })
            .Bind("/required", ([FromServices] IGreeter greeter) => (200, greeter.Greet("x")))
            .Bind("/optional", ([FromServices] IGreeter? greeter) => (200, greeter is null));

        Assert.Equal(500, (await router.Get("/required")).Status);
        Assert.Equal("true", (await router.Get("/optional")).BodyText);
    }

    [Fact]
    public async Task A_type_no_provider_resolves_is_still_read_from_the_json_body()
    {
        using var services = Services();
        var router = new Router(new RouterOptions { Services = services })
            .Bind("/tenant", (Tenant tenant, Counter counter) => (200, tenant.Name, counter.Next()), "POST");

        Assert.Equal("""["acme",1]""", (await router.Send("POST", "/tenant", """{"name":"acme"}""", "application/json")).BodyText);
    }
}
