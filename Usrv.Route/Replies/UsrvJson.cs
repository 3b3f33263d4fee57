using System.Text.Encodings.Web;
using System.Text.Json;

namespace Usrv.Route;

/// <summary>
/// The JSON settings of replies and JSON bodies: System.Text.Json with web defaults
/// (camelCase properties, case-insensitive reading, numbers in strings allowed);
/// dictionary keys are kept as they are (usrv's <c>kwargs</c>, <c>headers</c>); only characters JSON requires are escaped.
/// </summary>
public static class UsrvJson
{
    /// <summary>The shared, read-only options.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        // Relaxed escaping: replies are JSON, never HTML, so quotes and non-ASCII text stay readable.
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
