using System.Text;
using Usrv.Crypto;

namespace Usrv.Crypto.Tests;

/// <summary>R, the request line usrv/2 binds (DESIGN section 5, Request step 3), written without building a string first:
/// it must be the UTF-8 of the documented text for any method, authority, target, nonce and content type.</summary>
public sealed class RequestLineTests
{
    [Theory]
    [InlineData("POST", "127.0.0.1:5000", "/order", "application/json")]
    [InlineData("GET", "API.Example.COM:8443", "/test?b=12&a=Paris", null)]
    [InlineData("PUT", "ȺBC.example:1", "/caf%C3%A9?q=é", "text/plain; charset=utf-8")] // Ⱥ lower-cases to ⱥ: 2 bytes become 3
    [InlineData("DELETE", "İstanbul.example", "/", "")]                                   // İ lower-cases to i: 2 bytes become 1
    public void R_is_the_UTF8_of_the_documented_text(string method, string authority, string target, string? contentType)
    {
        const string nonce = "2026-12-01T19:06:44.553996+00:00";
        var line = new RequestLine(method, authority, target, contentType);
        var expected = Encoding.UTF8.GetBytes(
            "usrv/2 request\n" + method + "\n" + authority.ToLowerInvariant() + "\n" + target + "\n" + nonce + "\n" + (contentType ?? ""));

        Assert.Equal(expected, line.Encode(nonce));

        var destination = new byte[line.EncodedLength(nonce)];
        Assert.Equal(expected.Length, line.EncodeTo(nonce, destination));
        Assert.Equal(expected, destination[..expected.Length]);
    }
}
