using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using WireMock.Server;
using WireMock.Settings;

namespace CmlCds.Api.Tests.Infrastructure;

/// <summary>WireMock.Net servers for the HTTP test doubles: on one loopback address, on a port free when it starts.</summary>
public static class WireMockDoubles
{
    /// <param name="loopback">127.0.0.1, or another loopback address standing for another host (e.g. 127.0.0.2).</param>
    /// <param name="maxRequestLog">How many requests the server's log keeps (null: all).</param>
    public static WireMockServer Start(string loopback, int? maxRequestLog = null)
    {
        // WireMock picks a free port for localhost only; on another address the port is found here, retried if taken meanwhile.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://{loopback}:{FreePort(loopback)}"], StartAdminInterface = false, MaxRequestLogCount = maxRequestLog });
            }
            catch (Exception) when (attempt < 5)
            {
            }
        }
    }

    /// <summary>A mapping id stable for a key, so that answering the same key again replaces the answer.</summary>
    public static Guid GuidOf(string key) => new(MD5.HashData(Encoding.UTF8.GetBytes(key)));

    private static int FreePort(string loopback)
    {
        using var listener = new TcpListener(IPAddress.Parse(loopback), 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
