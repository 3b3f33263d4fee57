namespace Usrv.Route.Client;

/// <summary>
/// A call asked for a sealed answer (it sent <c>Sender-Public-Key</c>) and the answer cannot be trusted: signed by
/// another key than the expected server's, a signature that does not verify, a body that does not open, or a
/// success answered in clear text. The body is never handed back as data.
/// </summary>
public sealed class UntrustedResponseException(string message, Exception? inner = null) : Exception(message, inner);
