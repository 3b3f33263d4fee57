using System.Net;
using Usrv.Route;

namespace Usrv.Route.Tests;

/// <summary><see cref="UsrvRequest.RemoteAddress"/>: given as text, or formatted from the IP address and port a host
/// gives (only when something reads it, such as the access log).</summary>
public sealed class RemoteAddressTests
{
    [Fact]
    public void The_address_is_formatted_from_the_IP_and_port_IPv6_in_brackets()
    {
        Assert.Equal("192.0.2.7:50123", new UsrvRequest("GET", "/") { RemoteIpAddress = IPAddress.Parse("192.0.2.7"), RemotePort = 50123 }.RemoteAddress);
        Assert.Equal("[::1]:5000", new UsrvRequest("GET", "/") { RemoteIpAddress = IPAddress.IPv6Loopback, RemotePort = 5000 }.RemoteAddress);
        Assert.Equal("", new UsrvRequest("GET", "/").RemoteAddress);
    }

    [Fact]
    public void An_address_given_as_text_wins()
    {
        var request = new UsrvRequest("GET", "/") { RemoteAddress = "unix:/run/usrv.sock", RemoteIpAddress = IPAddress.Loopback, RemotePort = 1 };
        Assert.Equal("unix:/run/usrv.sock", request.RemoteAddress);
    }
}
