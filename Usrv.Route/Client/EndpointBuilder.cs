using System.Dynamic;
using Usrv.Crypto;

namespace Usrv.Route.Client;

/// <summary>
/// usrv's endpoint builder: member access appends path segments (<c>GET.api.endpoint</c> is <c>/api/endpoint</c>),
/// and invoking it sends the call. Positional arguments append path segments; named arguments are the values;
/// usrv's underscore arguments steer the call: <c>_peer</c> (another <see cref="Peer"/>), <c>_headers</c>
/// (a dictionary or an anonymous object), <c>_puk</c> (a <see cref="PublicKey"/> or its base64: seal for it),
/// <c>_encoder</c> (<see cref="BodyEncoding"/> or <c>"json"</c>, <c>"form"</c>, <c>"multipart"</c>), <c>_timeout</c>
/// (a <see cref="TimeSpan"/> or seconds) and <c>_cancel</c> (a <see cref="CancellationToken"/>).
/// </summary>
/// <remarks>
/// Each call returns <c>Task&lt;object?&gt;</c>: <c>await</c> it for the decoded answer (usrv's client blocks; .NET code awaits).
/// </remarks>
internal sealed class EndpointBuilder : DynamicObject
{
    private readonly Peer? _peer;
    private readonly HttpMethod _method;
    private readonly string[] _segments;

    public EndpointBuilder(Peer? peer, HttpMethod method, string[] segments)
    {
        _peer = peer;
        _method = method;
        _segments = segments;
        Path = "/" + string.Join('/', segments.Select(Uri.EscapeDataString));
    }

    /// <summary>The path built so far, percent-encoded.</summary>
    public string Path { get; }

    public override bool TryGetMember(GetMemberBinder binder, out object? result)
    {
        result = new EndpointBuilder(_peer, _method, [.. _segments, binder.Name]);
        return true;
    }

    public override bool TryInvokeMember(InvokeMemberBinder binder, object?[]? args, out object? result)
    {
        result = new EndpointBuilder(_peer, _method, [.. _segments, binder.Name]).Send(args ?? [], binder.CallInfo.ArgumentNames);
        return true;
    }

    public override bool TryInvoke(InvokeBinder binder, object?[]? args, out object? result)
    {
        result = Send(args ?? [], binder.CallInfo.ArgumentNames);
        return true;
    }

    public override string ToString() => $"{_method} {Path}";

    private Task<object?> Send(object?[] args, IReadOnlyList<string> names)
    {
        // C# puts named arguments last: the first (count - names) arguments are positional.
        int positional = args.Length - names.Count;
        var extra = string.Join('/', args.Take(positional).Select(a => Uri.EscapeDataString(PeerRequestEncoder.Format(a))));
        var path = positional == 0 ? Path
            : _segments.Length == 0 ? "/" + extra
            : Path + "/" + extra;
        var peer = _peer;
        var call = new PeerCall(_method, path);
        var cancel = CancellationToken.None;
        for (int i = 0; i < names.Count; i++)
        {
            var name = names[i];
            var value = args[positional + i];
            switch (name)
            {
                case "_peer":
                    peer = value as Peer ?? throw new ArgumentException("_peer must be a Peer");
                    break;
                case "_headers":
                    foreach (var (key, header) in NamedValues.Of(value)) call.Headers[key] = PeerRequestEncoder.Format(header);
                    break;
                case "_puk":
                    call.ServerKey = value switch
                    {
                        null => null,
                        PublicKey key => key,
                        string text => PublicKey.Parse(text),
                        _ => throw new ArgumentException("_puk must be a PublicKey or its base64 text"),
                    };
                    break;
                case "_encoder":
                    call.Encoding = value switch
                    {
                        BodyEncoding encoding => encoding,
                        string text when Enum.TryParse<BodyEncoding>(text, ignoreCase: true, out var parsed) => parsed,
                        _ => throw new ArgumentException("_encoder must be a BodyEncoding or \"json\", \"form\", \"multipart\""),
                    };
                    break;
                case "_timeout":
                    call.Timeout = value switch
                    {
                        TimeSpan span => span,
                        IConvertible seconds => TimeSpan.FromSeconds(seconds.ToDouble(System.Globalization.CultureInfo.InvariantCulture)),
                        _ => throw new ArgumentException("_timeout must be a TimeSpan or a number of seconds"),
                    };
                    break;
                case "_cancel":
                    cancel = value is CancellationToken token ? token : throw new ArgumentException("_cancel must be a CancellationToken");
                    break;
                default:
                    if (name.StartsWith('_'))
                    {
                        throw new ArgumentException(
                            $"unknown steering argument '{name}' (known: _peer, _headers, _puk, _encoder, _timeout, _cancel)");
                    }
                    call.Values.Add(new(name, value));
                    break;
            }
        }
        peer ??= Req.Default ?? throw new InvalidOperationException(
            $"no peer to reach for {_method} {call.Path}: call Req.ConnectAsync(url) first, or pass _peer:");
        return peer.InvokeAsync(call, cancel);
    }
}
