package io.jwren.examples;

import io.jwren.Executor;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a user sees with every backend on the class path: only the names they can choose, and the user's commands. */
class BackendNamesTest {
    @Test
    void anUnknownBackendListsTheFourAUserCanChoose() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Executor.builder().backend("nosuch").build().close());
        assertEquals("no jwren backend named 'nosuch' on the class path; found: k8s, lambda, processes, threads", e.getMessage());
    }

    @Test
    void aLambdaBackendWithoutAFunctionSaysHowToDeployOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Executor.builder().backend("lambda").storage("s3://bucket/prefix").build().close());
        assertTrue(e.getMessage().contains("deploy it with: jwren deploy lambda --function NAME --role ARN --storage s3://bucket/prefix"),
                e.getMessage());
        assertTrue(!e.getMessage().contains("DeployMain"), e.getMessage());
    }
}
