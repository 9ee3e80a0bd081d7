using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CreditActors.Persistence;

/// <summary>
/// The JSON shape of stored events and snapshots: camelCase names, enums as camelCase strings, dates as
/// ISO 8601, amounts as exact decimal numbers. No type names are written: the manifest names the type. Reading is strict,
/// and golden files in the tests pin every manifest's shape.
/// </summary>
public static class JournalJson
{
    public static readonly JsonSerializerOptions Options = Create();

    /// <summary>The same shape, with more contract modifiers (for example polymorphism of the actor protocol).</summary>
    public static JsonSerializerOptions Create(params Action<JsonTypeInfo>[] modifiers)
    {
        var resolver = new DefaultJsonTypeInfoResolver { Modifiers = { StoredPropertiesOnly } };
        foreach (var modifier in modifiers)
            resolver.Modifiers.Add(modifier);
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            NumberHandling = JsonNumberHandling.Strict,
            TypeInfoResolver = resolver,
            // Strict reading: a stored member the type no longer has, a member the type requires that the stored JSON lacks,
            // or a null where the type allows none is an error, never a silent default (a renamed Amount read back as 0).
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectRequiredConstructorParameters = true,
            RespectNullableAnnotations = true,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Computed properties (no setter, such as Exposure or Open) are derived on read, so they are not stored.</summary>
    private static void StoredPropertiesOnly(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
            return;
        for (var i = typeInfo.Properties.Count - 1; i >= 0; i--)
            if (typeInfo.Properties[i].Set is null)
                typeInfo.Properties.RemoveAt(i);
    }
}
