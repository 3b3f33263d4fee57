using System.Text.Json;
using System.Text.Json.Serialization;

namespace Usrv.Route;

/// <summary>
/// Writes a <see cref="FormData"/> as JSON (for replies that echo one): one member per part, by name, in order; a field
/// part's value is its text, a file part's is <c>{"fileName": ..., "contentType": ..., "length": bytes}</c>.
/// Reading JSON into a FormData is not supported: a form comes from a multipart body.
/// </summary>
public sealed class FormDataJsonConverter : JsonConverter<FormData>
{
    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">Always: a FormData is read from a multipart body, not from JSON.</exception>
    public override FormData Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("a FormData is read from a multipart body, not from JSON");

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, FormData value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var part in value.Parts)
        {
            writer.WritePropertyName(part.Name);
            if (part.IsFile)
            {
                writer.WriteStartObject();
                writer.WriteString("fileName", part.FileName);
                writer.WriteString("contentType", part.ContentType);
                writer.WriteNumber("length", part.Length);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteStringValue(part.Text);
            }
        }
        writer.WriteEndObject();
    }
}
