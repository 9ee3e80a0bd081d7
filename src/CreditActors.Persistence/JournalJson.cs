using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CreditActors.Persistence;

/// <summary>
/// The JSON shape of stored events and snapshots: camelCase names, enums as camelCase strings, dates as
/// ISO 8601, amounts as exact decimal numbers. No type names are written: the manifest names the type.
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
