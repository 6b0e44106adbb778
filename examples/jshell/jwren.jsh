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
