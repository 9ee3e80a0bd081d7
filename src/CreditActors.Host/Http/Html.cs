using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace CreditActors.Host.Http;

/// <summary>The HTML encoder of the rendered pages: markup characters escaped, every other character (Chinese too) kept as it is.</summary>
public static class Html
{
    public static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);
}
