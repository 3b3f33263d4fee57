namespace Usrv.Host;

/// <summary>
/// The host could not start: the address or port cannot be listened on (in use, not local, no permission).
/// Its message is one line meant for the user, e.g. <c>cannot listen on http://127.0.0.1:5000/: Address already in use</c>.
/// </summary>
public sealed class HostStartException(string message, Exception? inner = null) : Exception(message, inner);
