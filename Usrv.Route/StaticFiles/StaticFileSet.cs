namespace Usrv.Route;

/// <summary>The router's static folders (<see cref="Router.MapStaticFiles"/>), copy-on-write so that serving needs no lock.</summary>
internal sealed class StaticFileSet
{
    private readonly object _lock = new();
    private volatile StaticFileMount[] _mounts = [];

    public void Add(StaticFileMount mount)
    {
        lock (_lock) _mounts = [.. _mounts, mount];
    }

    /// <summary>The answer of the first folder that has the file, or <c>null</c> (not GET or HEAD, no folder, no file).</summary>
    /// <exception cref="ProblemException">400: the path is not a plain relative path under a folder's prefix.</exception>
    public UsrvResponse? Answer(UsrvRequest request, string[] segments)
    {
        var mounts = _mounts;
        if (mounts.Length == 0 || !ConditionalRequest.Applies(request.Method)) return null;
        bool sealedCall = ConditionalRequest.IsSealedCall(request.Headers);
        foreach (var mount in mounts)
        {
            if (mount.Answer(request, segments, sealedCall) is { } answer) return answer;
        }
        return null;
    }
}
