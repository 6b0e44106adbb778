// Imports for using jwren from JShell or a Java notebook kernel. Load it first:
//   jshell --class-path examples/target/jwren-examples.jar examples/jshell/jwren.jsh
// io.jwren.Executor is imported by its single name: JShell already imports java.util.concurrent.*,
// whose Executor would make "import io.jwren.*" ambiguous.
import io.jwren.Executor;
import io.jwren.MapFuture;
import io.jwren.CallFuture;
import io.jwren.MapOptions;
import java.util.*;
import java.util.stream.*;
import java.nio.file.*;
import java.time.Duration;
// Functions may throw checked exceptions: no wrapping, and get() reports the IOException itself, e.g.
//   ex.map((String p) -> Files.readString(Path.of(p)), List.of("a.txt", "b.txt")).get()
// and transient ones can be re-run on the worker:
//   MapOptions.builder().retryOn(java.io.IOException.class).backoff(Duration.ofMillis(100), Duration.ofSeconds(5)).build()
