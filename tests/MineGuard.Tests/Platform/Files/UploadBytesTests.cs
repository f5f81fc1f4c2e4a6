using MineGuard.Platform.Files;

namespace MineGuard.Tests.Platform.Files;

/// <summary>
/// An upload read whole (<see cref="UploadBytes"/>): every byte that arrives, whether the length was declared, declared
/// too short or too long, or not declared (chunked); the HTTP paths that use it are the photo and evidence tests.
/// </summary>
public sealed class UploadBytesTests
{
    /// <summary>A body that hands out at most a few bytes per read, as a network stream does.</summary>
    private sealed class Trickle(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 777)], cancellationToken);
    }

    [Theory]
    [InlineData(200_000, 200_000L)]
    [InlineData(200_000, null)]
    [InlineData(200_000, 150_000L)]
    [InlineData(150_000, 200_000L)]
    [InlineData(0, null)]
    [InlineData(5_000, 48L * 1024 * 1024)] // declared 48 MB, sent 5 KB: read as it arrives, no 48 MB array
    [InlineData(5_000_000, 5_000_000L)] // a length beyond what is trusted at once, sent whole
    public async Task Every_byte_that_arrives_is_read_whatever_length_was_declared(int sent, long? declared)
    {
        var bytes = new byte[sent];
        new Random(sent).NextBytes(bytes);
        var read = await UploadBytes.ReadAsync(new Trickle(bytes), declared, CancellationToken.None);
        Assert.Equal(bytes, read);
    }

    [Fact]
    public async Task A_large_declared_length_does_not_make_an_array_of_that_size()
    {
        var bytes = new byte[5_000];
        // The trickle's reads complete at once, so the read stays on this thread and its allocations are counted here.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = await UploadBytes.ReadAsync(new Trickle(bytes), 48L * 1024 * 1024, CancellationToken.None);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(5_000, read.Length);
        Assert.True(allocated < 1024 * 1024, $"allocated {allocated:N0} bytes for a 5,000-byte body declared as 48 MB");
    }
}
