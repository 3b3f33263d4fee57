using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Usrv.Crypto;
using Usrv.Route;
using Usrv.Route.Client;

namespace Usrv.Plugins.Pinata;

/// <summary>
/// A client of Pinata's pinning API (IPFS) built on usrv's <see cref="Peer"/>: pin a file or a JSON document, update a
/// pin's metadata, unpin, and list pins with Pinata's filters. Every call carries <c>Authorization: Bearer JWT</c>
/// (Pinata API reference, "Authorizations"); a client without a JWT refuses every call before sending anything.
/// </summary>
/// <example><code>
/// using var pinata = new PinataClient(Environment.GetEnvironmentVariable("PINATA_JWT"));
/// var metadata = new PinataMetadata("report", new Dictionary&lt;string, object?&gt; { ["year"] = 2024 });
/// PinResult pin = await pinata.PinFileAsync("report.pdf", metadata);
/// await pinata.UnpinAsync(pin.IpfsHash);
/// </code></example>
/// <remarks>
/// Errors: an answer outside 2xx is a <see cref="PinataException"/> (a <see cref="UsrvCallException"/>, its body read by
/// <see cref="ErrorBody"/>) with Pinata's reason and details; the server out of reach is an
/// <see cref="HttpRequestException"/>; no answer within <see cref="PeerOptions.Timeout"/> is a <see cref="TimeoutException"/>.
/// The client is thread-safe; dispose it to release its connections (and the <see cref="PeerOptions.Handler"/> given,
/// which it owns).
/// </remarks>
public sealed class PinataClient : IDisposable
{
    /// <summary>Pinata's API: <c>https://api.pinata.cloud</c>.</summary>
    public const string DefaultBaseUrl = "https://api.pinata.cloud";

    private readonly ApiPeer _api;

    /// <summary>Creates a client; nothing is sent until a call.</summary>
    /// <param name="jwt">
    /// The Pinata API key's JWT (Pinata's "API Keys" page), sent as <c>Authorization: Bearer JWT</c>. <c>null</c> or blank
    /// makes a client whose calls throw <see cref="InvalidOperationException"/> before sending anything.
    /// </param>
    /// <param name="baseUrl">The API's base URL (<see cref="DefaultBaseUrl"/>); a path is kept as a prefix of every endpoint.</param>
    /// <param name="peerOptions">Timeout (5 s by default), message handler and extra headers of the underlying <see cref="Peer"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="baseUrl"/> is not an absolute http(s) URL.</exception>
    public PinataClient(string? jwt = null, string baseUrl = DefaultBaseUrl, PeerOptions? peerOptions = null)
    {
        IsLinked = !string.IsNullOrWhiteSpace(jwt);
        _api = new ApiPeer("Pinata", baseUrl, peerOptions,
            IsLinked ? [new("Authorization", "Bearer " + jwt!.Trim())] : []);
    }

    /// <summary>
    /// Creates a client whose JWT is kept in usrv's secret store (<see cref="SecretStore.Dump(string, string, string)"/>:
    /// AES-GCM under a key stretched from <paramref name="pin"/>).
    /// </summary>
    /// <param name="path">The secret file, e.g. <c>SecretStore.DefaultPath("pinata.jwt")</c>.</param>
    /// <param name="pin">The PIN the JWT was dumped with.</param>
    /// <param name="baseUrl">The API's base URL.</param>
    /// <param name="peerOptions">Options of the underlying <see cref="Peer"/>.</param>
    /// <exception cref="SecretStoreException">No such file, not a secret file, or a wrong PIN.</exception>
    public static PinataClient FromSecretStore(string path, string pin, string baseUrl = DefaultBaseUrl, PeerOptions? peerOptions = null) =>
        new(SecretStore.Load(path, pin), baseUrl, peerOptions);

    /// <summary>True when a JWT is linked (calls can be sent).</summary>
    public bool IsLinked { get; }

    /// <summary>The API's base URL, ending with <c>/</c>.</summary>
    public Uri BaseAddress => _api.BaseAddress;

    /// <summary>Pins a file read from disk (streamed, never loaded whole): <c>POST pinning/pinFileToIPFS</c>.</summary>
    /// <param name="path">The file; its name is sent as the part's file name.</param>
    /// <param name="metadata">
    /// The <c>pinataMetadata</c> part; none sent when <c>null</c> (Pinata then names the pin after the file).
    /// </param>
    /// <param name="options">
    /// The <c>pinataOptions</c> part; <see cref="PinataOptions.Default"/> (<c>{"cidVersion":1}</c>) when <c>null</c>.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The CID, size and time of the pin.</returns>
    /// <exception cref="InvalidOperationException">No JWT is linked (nothing was sent).</exception>
    /// <exception cref="FileNotFoundException">No such file (nothing was sent).</exception>
    /// <exception cref="PinataException">Pinata refused the call.</exception>
    public Task<PinResult> PinFileAsync(
        string path, PinataMetadata? metadata = null, PinataOptions? options = null, CancellationToken cancellationToken = default)
    {
        EnsureLinked();
        ArgumentException.ThrowIfNullOrEmpty(path);
        return PinFormAsync(new FormData().AddFile("file", path), metadata, options, cancellationToken);
    }

    /// <summary>Pins bytes as a file named <paramref name="fileName"/>: <c>POST pinning/pinFileToIPFS</c>.</summary>
    /// <param name="metadata">
    /// The <c>pinataMetadata</c> part; none sent when <c>null</c> (Pinata then names the pin after the file).
    /// </param>
    /// <param name="options">
    /// The <c>pinataOptions</c> part; <see cref="PinataOptions.Default"/> (<c>{"cidVersion":1}</c>) when <c>null</c>.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The CID, size and time of the pin.</returns>
    /// <exception cref="InvalidOperationException">No JWT is linked (nothing was sent).</exception>
    /// <exception cref="PinataException">Pinata refused the call.</exception>
    /// <param name="content">The file's bytes.</param>
    /// <param name="fileName">The file name sent with the part.</param>
    public Task<PinResult> PinFileAsync(
        byte[] content, string fileName, PinataMetadata? metadata = null, PinataOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        EnsureLinked();
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        return PinFormAsync(new FormData().AddFile("file", content, fileName), metadata, options, cancellationToken);
    }

    /// <summary>
    /// Pins a stream's content (read once, left open) as a file named <paramref name="fileName"/>: <c>POST pinning/pinFileToIPFS</c>.
    /// </summary>
    /// <param name="metadata">
    /// The <c>pinataMetadata</c> part; none sent when <c>null</c> (Pinata then names the pin after the file).
    /// </param>
    /// <param name="options">
    /// The <c>pinataOptions</c> part; <see cref="PinataOptions.Default"/> (<c>{"cidVersion":1}</c>) when <c>null</c>.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The CID, size and time of the pin.</returns>
    /// <exception cref="InvalidOperationException">No JWT is linked (nothing was sent).</exception>
    /// <exception cref="PinataException">Pinata refused the call.</exception>
    /// <param name="content">The stream to read from its current position; the caller keeps and disposes it.</param>
    /// <param name="fileName">The file name sent with the part.</param>
    public Task<PinResult> PinFileAsync(
        Stream content, string fileName, PinataMetadata? metadata = null, PinataOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        EnsureLinked();
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        return PinFormAsync(new FormData().AddFile("file", content, fileName), metadata, options, cancellationToken);
    }

    /// <summary>
    /// Pins a JSON document: <c>POST pinning/pinJSONToIPFS</c> with
    /// <c>{"pinataContent": content, "pinataOptions": {...}, "pinataMetadata": {...}}</c>.
    /// </summary>
    /// <typeparam name="T">The content's type, serialised with System.Text.Json web defaults (camelCase properties).</typeparam>
    /// <param name="content">The document to pin (an object, a dictionary, a <see cref="JsonNode"/>...).</param>
    /// <param name="metadata">The <c>pinataMetadata</c>; left out when <c>null</c>.</param>
    /// <param name="options">The <c>pinataOptions</c>; <see cref="PinataOptions.Default"/> when <c>null</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The CID, size and time of the pin.</returns>
    /// <exception cref="InvalidOperationException">No JWT is linked (nothing was sent).</exception>
    /// <exception cref="PinataException">Pinata refused the call.</exception>
    public async Task<PinResult> PinJsonAsync<T>(
        T content, PinataMetadata? metadata = null, PinataOptions? options = null, CancellationToken cancellationToken = default)
    {
        EnsureLinked();
        var body = new JsonObject
        {
            ["pinataContent"] = JsonSerializer.SerializeToNode(content, JsonSerializerOptions.Web),
            ["pinataOptions"] = JsonSerializer.SerializeToNode(Checked(options), PinataJson.Options),
        };
        if (metadata is not null) body["pinataMetadata"] = JsonSerializer.SerializeToNode(metadata, PinataJson.Options);
        var call = _api.Call(HttpMethod.Post, "pinning/pinJSONToIPFS");
        call.Content = JsonContent(body);
        return PinataJson.Read<PinResult>(call, await _api.SendAsync(call, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Changes the name and key-values Pinata keeps for a pin: <c>PUT pinning/hashMetadata</c> with
    /// <c>{"ipfsPinHash": cid, "name": ..., "keyvalues": {...}}</c>. A <c>null</c> name is left as it is; in the
    /// key-values a new key is added, an existing one replaced, and one set to <c>null</c> removed (Pinata API reference).
    /// Pinata answers <c>OK</c>.
    /// </summary>
    /// <param name="cid">The pinned content's CID.</param>
    /// <param name="metadata">The new name and key-values.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="InvalidOperationException">No JWT is linked (nothing was sent).</exception>
    /// <exception cref="PinataException">Pinata refused the call (e.g. the CID is not pinned by this account).</exception>
    public async Task UpdateMetadataAsync(string cid, PinataMetadata metadata, CancellationToken cancellationToken = default)
    {
        EnsureLinked();
        ArgumentException.ThrowIfNullOrWhiteSpace(cid);
        ArgumentNullException.ThrowIfNull(metadata);
        var body = new JsonObject { ["ipfsPinHash"] = cid };
        if (metadata.Name is not null) body["name"] = metadata.Name;
        if (metadata.KeyValues is not null) body["keyvalues"] = JsonSerializer.SerializeToNode(metadata.KeyValues, PinataJson.Options);
        var call = _api.Call(HttpMethod.Put, "pinning/hashMetadata");
        call.Content = JsonContent(body);
        PinataJson.EnsureSuccess(call, await _api.SendAsync(call, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Unpins content from this account: <c>DELETE pinning/unpin/{cid}</c> (Pinata answers <c>OK</c>).</summary>
    /// <param name="cid">The CID to unpin.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="InvalidOperationException">No JWT is linked (nothing was sent).</exception>
    /// <exception cref="PinataException">
    /// Pinata refused the call; unpinning a CID this account has not pinned is 400 <c>CURRENT_USER_HAS_NOT_PINNED_CID</c>.
    /// </exception>
    public async Task UnpinAsync(string cid, CancellationToken cancellationToken = default)
    {
        EnsureLinked();
        ArgumentException.ThrowIfNullOrWhiteSpace(cid);
        var call = _api.Call(HttpMethod.Delete, "pinning/unpin/" + Uri.EscapeDataString(cid));
        PinataJson.EnsureSuccess(call, await _api.SendAsync(call, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Lists this account's pins: <c>GET data/pinList</c> with the filters of <paramref name="query"/>.</summary>
    /// <param name="query">Filters and paging; Pinata's defaults (all statuses, 10 rows from offset 0) when <c>null</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page of records and, unless <see cref="PinListQuery.IncludeCount"/> is false, the total count.</returns>
    /// <exception cref="InvalidOperationException">No JWT is linked (nothing was sent).</exception>
    /// <exception cref="ArgumentException">A filter is out of its documented range (nothing was sent).</exception>
    /// <exception cref="PinataException">Pinata refused the call.</exception>
    public async Task<PinList> ListPinsAsync(PinListQuery? query = null, CancellationToken cancellationToken = default)
    {
        EnsureLinked();
        var call = _api.Call(HttpMethod.Get, "data/pinList");
        call.Values.AddRange((query ?? new PinListQuery()).ToQuery());
        return PinataJson.Read<PinList>(call, await _api.SendAsync(call, cancellationToken).ConfigureAwait(false));
    }

    private async Task<PinResult> PinFormAsync(
        FormData form, PinataMetadata? metadata, PinataOptions? options, CancellationToken cancellationToken)
    {
        using (form)
        {
            // The JSON parts travel as text fields holding stringified JSON, as in Pinata's reference (curl --form, JSON.stringify).
            if (metadata is not null) form.Add("pinataMetadata", JsonSerializer.Serialize(metadata, PinataJson.Options));
            form.Add("pinataOptions", JsonSerializer.Serialize(Checked(options), PinataJson.Options));
            var call = _api.Call(HttpMethod.Post, "pinning/pinFileToIPFS");
            call.Content = form.ToContent();
            return PinataJson.Read<PinResult>(call, await _api.SendAsync(call, cancellationToken).ConfigureAwait(false));
        }
    }

    private static PinataOptions Checked(PinataOptions? options)
    {
        options ??= PinataOptions.Default;
        if (options.CidVersion is not (0 or 1))
            throw new ArgumentOutOfRangeException(nameof(options), options.CidVersion, "Pinata's cidVersion is 0 or 1 (pinataOptions)");
        return options;
    }

    private static ByteArrayContent JsonContent(JsonNode body)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, PinataJson.Options));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private void EnsureLinked()
    {
        if (!IsLinked)
            throw new InvalidOperationException(
                "no Pinata JWT is linked: pass the JWT of a Pinata API key to new PinataClient(jwt), "
                + "or load it with PinataClient.FromSecretStore(path, pin); nothing was sent");
    }

    /// <summary>Releases the pooled connections.</summary>
    public void Dispose() => _api.Dispose();
}
