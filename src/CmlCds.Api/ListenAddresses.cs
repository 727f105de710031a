using System.Net;
using System.Net.Sockets;

namespace CmlCds.Api;

/// <summary>Checks the listening addresses before the host starts, so that a busy port is one clear line, not a trace.</summary>
public static class ListenAddresses
{
    /// <summary>The first of the <c>urls</c> (separated by ';') whose port cannot be bound now; null when all can (or cannot be checked).</summary>
    public static string? FirstInUse(string urls)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri) || uri.Port <= 0)
                continue;
            IPAddress? address = uri.IsLoopback && !IPAddress.TryParse(uri.Host.Trim('[', ']'), out _) ? IPAddress.Loopback
                : IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) ? ip : null;
            if (address is null) continue; // a host name: Kestrel resolves it; nothing to check here
            if (InUse(address, uri.Port)) return url;
        }
        return null;
    }

    private static bool InUse(IPAddress address, int port)
    {
        try
        {
            using var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(address, port));
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
        catch (SocketException)
        {
            return false; // e.g. no IPv6 here: Kestrel will say so itself
        }
    }
}
