using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Usrv.Route.Tests;

/// <summary>Cookies in the core: parsing the <c>Cookie</c> header, formatting <c>Set-Cookie</c>, bind-time checks.</summary>
public sealed class CookieTests
{
    private static IEnumerable<string> SetCookies(UsrvResponse response) =>
        response.Headers.Where(h => h.Key == "Set-Cookie").Select(h => h.Value);

    [Fact]
    public async Task The_first_of_a_repeated_name_wins_quotes_stay_and_pairs_that_do_not_parse_are_left_out()
    {
        var router = new Router().Bind("/c", (UsrvRequest request) => (200, request.Cookies));

        var response = await router.Send("GET", "/c", headers: [("Cookie", "a=1; a=2; b=%E2%82%AC; =x; c=\"q\"")]);

        Assert.Equal("""{"a":"1","b":"€","c":"\"q\""}""", response.BodyText);
    }

    [Fact]
    public async Task Every_attribute_is_written_and_SameSite_None_is_always_Secure()
    {
        var expires = new DateTimeOffset(2027, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var router = new Router().Bind("/c", () => Reply.Text(200, "")
            .WithCookie("full", "v", new ReplyCookieOptions
            {
                Path = "/app", Domain = "example.org", MaxAge = TimeSpan.FromSeconds(90.7), Expires = expires,
                HttpOnly = false, Secure = false, SameSite = SameSiteMode.Strict,
            })
            .WithCookie("cross", "v", new ReplyCookieOptions { SameSite = SameSiteMode.None, Secure = false })
            .WithCookie("bare", "v", new ReplyCookieOptions { Path = null, SameSite = SameSiteMode.Unspecified })
            .WithoutCookie("gone"));

        var response = await router.Get("/c");

        Assert.Equal(
            [
                "full=v; expires=Sat, 02 Jan 2027 03:04:05 GMT; max-age=90; domain=example.org; path=/app; samesite=strict",
                "cross=v; path=/; secure; samesite=none; httponly",
                "bare=v; httponly",
                "gone=; expires=Thu, 01 Jan 1970 00:00:00 GMT; max-age=0; path=/; samesite=lax; httponly",
            ],
            SetCookies(response));
    }

    [Fact]
    public async Task A_request_marked_https_gets_Secure_cookies_by_default()
    {
        var router = new Router().Bind("/c", () => Reply.Text(200, "").WithCookie("a", "1"));

        var response = await router.HandleAsync(new UsrvRequest("GET", "/c") { Scheme = "https" });

        Assert.Equal("a=1; path=/; secure; samesite=lax; httponly", SetCookies(response).Single());
    }

    [Fact]
    public void A_name_that_is_not_a_token_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Reply.Text(200, "").WithCookie("a b", "1"));
        Assert.Throws<ArgumentException>(() => Reply.Text(200, "").WithCookie("", "1"));
    }

    [Fact]
    public void A_protected_cookie_parameter_without_data_protection_is_refused_at_bind_time()
    {
        var error = Assert.Throws<BindingException>(
            () => new Router().Bind("/c", ([FromCookie(Protected = true)] string? s) => (200, s)));

        Assert.Contains("RouterOptions.DataProtection", error.Message);
    }

    [Fact]
    public async Task The_data_protection_of_the_services_is_used_and_a_value_cannot_move_to_another_cookie()
    {
        var services = new ServiceCollection().AddDataProtection().SetApplicationName("t").Services.BuildServiceProvider();
        var router = new Router(new RouterOptions { Services = services })
            .Bind("/set", () => Reply.Text(200, "").WithProtectedCookie("a", "secret"))
            .Bind("/get", ([FromCookie(Protected = true)] string? a, [FromCookie(Protected = true)] string? b) => (200, a, b));

        var set = await router.Get("/set");
        var sealedValue = SetCookies(set).Single().Split(';')[0]["a=".Length..];
        var read = await router.Send("GET", "/get", headers: [("Cookie", $"a={sealedValue}; b={sealedValue}")]);

        Assert.Equal("""["secret",null]""", read.BodyText);
    }

    [Fact]
    public void A_cookie_parameter_of_a_type_text_cannot_become_is_refused_at_bind_time()
    {
        var error = Assert.Throws<BindingException>(() => new Router().Bind("/c", ([FromCookie] List<int>? s) => (200, s)));

        Assert.Contains("parameter 's'", error.Message);
    }
}
