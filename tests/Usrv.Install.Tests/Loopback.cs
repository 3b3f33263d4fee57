using System.Net;
using System.Net.Sockets;

namespace Usrv.Install.Tests;

/// <summary>Free loopback ports and a bounded wait for a server that starts in a child process.</summary>
public static class Loopback
{
    /// <summary>A TCP port that is free on 127.0.0.1 now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// GETs <paramref name="url"/> until a response arrives (any status) within <paramref name="timeout"/>; throws with the
    /// server's output when the server ends or the time passes first.
    /// </summary>
    public static async Task<(int Status, string Body)> GetWhenUpAsync(string url, ChildProcess server, TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var response = await client.GetAsync(url);
                return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
            }
            catch (HttpRequestException) when (!server.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                throw new InvalidOperationException(
                    $"no answer from {url} ({(server.HasExited ? $"the server ended with {server.ExitCode}" : "timed out")}):\n{server.Output}", e);
            }
        }
    }
}
