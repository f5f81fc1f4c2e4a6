using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MineGuard.Platform.Files;
using MineGuard.Tests.Features.Patrols;
using MineGuard.Tests.Infrastructure;

namespace MineGuard.Tests.Platform.Files;

/// <summary>Every photo intake asks the same question (Images.Type): is it really an image? Otherwise a Chinese 400 naming the field.</summary>
public sealed class ImageIntakeTests
{
    private static byte[] Noise()
    {
        var bytes = new byte[16 * 1024];
        new Random(11).NextBytes(bytes);
        bytes[0] = 0xFF; bytes[1] = 0xD8; bytes[2] = 0xFF; bytes[3] = 0xE0;
        return bytes;
    }

    [Fact]
    public void Real_images_pass_and_text_or_noise_behind_a_signature_does_not()
    {
        Assert.Equal("image/jpeg", Images.Type(IdentifyingJpeg.Create(new DateTime(2026, 1, 1), 110, 27)));
        Assert.Equal("image/jpeg", Images.Type(ExifJpeg.Plain()));
        Assert.Null(Images.Type("just some text, named photo.jpg"u8.ToArray()));
        Assert.Null(Images.Type(Noise()));
        Assert.Null(Images.Type([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]));
        Assert.Null(Images.Reencode("text"u8.ToArray()));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task A_field_check_in_photo_must_be_an_image(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        foreach (var body in new[] { "这是一段文字"u8.ToArray(), Noise() })
        {
            var response = await kit.Member.SendAsync(kit.PutPhoto(Guid.NewGuid(), Guid.NewGuid(), kit.Now, body));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("photo")[0].GetString();
            Assert.Contains("只能上传 JPEG", message, StringComparison.Ordinal);
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task An_adit_photo_must_be_an_image(string provider)
    {
        var app = await TestApp.Shared(provider);
        var kit = await FieldKit.StartAsync(app);
        var adit = await kit.AditAsync();
        var token = await TestApp.AntiForgeryTokenAsync(kit.Office, $"/adits/{adit.Id}");
        foreach (var body in new[] { "这是一段文字"u8.ToArray(), Noise() })
        {
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(body);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(file, "file", "洞口.jpg");
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/adits/{adit.Id}/photos") { Content = form };
            request.Headers.Add("RequestVerificationToken", token);
            var response = await kit.Office.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("file")[0].GetString();
            Assert.Contains("JPEG、PNG 或 WebP", message, StringComparison.Ordinal);
        }
    }
}
