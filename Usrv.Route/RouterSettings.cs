using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Usrv.Crypto;

namespace Usrv.Route;

/// <summary>
/// The <see cref="RouterOptions"/> as read once, when the router is made: every stage and every binding reads these,
/// never the options object, so a later change to the options has no effect.
/// </summary>
internal sealed class RouterSettings
{
    public RouterSettings(RouterOptions options, ILoggerFactory? loggers)
    {
        Json = options.Json;
        DevelopmentMode = options.DevelopmentMode;
        Usrv04Compatible = options.Usrv04Compatible;
        MaxRequestBodyBytes = options.MaxRequestBodyBytes;
        MaxUrlLength = options.MaxUrlLength;
        MaxHeaderBytes = options.MaxHeaderBytes;
        Multipart = options.Multipart;
        Identity = options.Identity ?? PrivateKey.Generate();
        Ring = new KeyRing(Identity, options.PreviousKeys, options.Time);
        ReplayGuard = options.ReplayGuard ?? new ReplayGuard();
        PublishKeys = options.PublishKeys;
        PublishOpenApi = options.PublishOpenApi;
        OpenApiTitle = options.OpenApiTitle;
        OpenApiVersion = options.OpenApiVersion
            ?? typeof(RouterSettings).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? "0";
        AcceptUsrv04 = options.AcceptUsrv04;
        Senders = options.Senders.ToFrozenDictionary(
            p => p.Key,
            p => (IReadOnlySet<PublicKey>)p.Value.ToFrozenSet(),
            StringComparer.Ordinal);
        SenderPolicy = options.SenderPolicy;
        Services = options.Services;
        IsService = options.Services?.GetService<IServiceProviderIsService>();
        DataProtection = options.DataProtection ?? options.Services?.GetService<IDataProtectionProvider>();
        ParameterSources = [.. options.ParameterSources, .. Route.ParameterSources.BuiltIn];
        Pools = options.Pools.ToFrozenDictionary(StringComparer.Ordinal);
        Loggers = loggers ?? options.Services?.GetService<ILoggerFactory>();
        Log = Loggers?.CreateLogger(LogCategory) ?? NullLogger.Instance;
    }

    /// <summary>The category of handler failures: <c>Usrv.Route</c>.</summary>
    public const string LogCategory = "Usrv.Route";

    public JsonSerializerOptions Json { get; }
    public bool DevelopmentMode { get; }

    /// <summary><see cref="RouterOptions.Usrv04Compatible"/>: usrv 0.4.3's error shape, header case and key form.</summary>
    public bool Usrv04Compatible { get; }
    public long MaxRequestBodyBytes { get; }
    public int MaxUrlLength { get; }
    public int MaxHeaderBytes { get; }
    public MultipartLimits Multipart { get; }
    public PrivateKey Identity { get; }
    public KeyRing Ring { get; }
    public ReplayGuard ReplayGuard { get; }
    public bool PublishKeys { get; }
    public bool PublishOpenApi { get; }
    public string OpenApiTitle { get; }
    public string OpenApiVersion { get; }
    public bool AcceptUsrv04 { get; }
    public FrozenDictionary<string, IReadOnlySet<PublicKey>> Senders { get; }
    public RequireSenderAttribute? SenderPolicy { get; }
    public IServiceProvider? Services { get; }
    public IServiceProviderIsService? IsService { get; }
    public IReadOnlyList<IParameterSource> ParameterSources { get; }

    /// <summary>Protects cookies (<see cref="RouterOptions.DataProtection"/>, else the services' provider); <c>null</c> for none.</summary>
    public IDataProtectionProvider? DataProtection { get; }

    /// <summary><see cref="RouterOptions.Pools"/>: the handler pools endpoints may name.</summary>
    public FrozenDictionary<string, HandlerPool> Pools { get; }

    /// <summary>The router's loggers (the access log's and the handler failures'); <c>null</c> when none were given.</summary>
    public ILoggerFactory? Loggers { get; }

    /// <summary>Handler failures, with stack traces (category <see cref="LogCategory"/>).</summary>
    public ILogger Log { get; }

    /// <summary>The body size limit, in bytes, for a request of <paramref name="contentType"/>: multipart bodies have their own.</summary>
    public long MaxBodyBytesFor(string? contentType) => FormData.IsMultipart(contentType) ? Multipart.MaxTotalBytes : MaxRequestBodyBytes;
}
