package io.jwren.testing.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * IAM on moto through its Query API, signed with SigV4 by the SDK's signer: the SDK's {@code iam} artifact is not
 * on this build's Maven mirror at the pinned SDK version, and these few calls need nothing more.
 */
public final class MotoIam {
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("<AccessKeyId>([^<]+)</AccessKeyId>");
    private static final Pattern SECRET = Pattern.compile("<SecretAccessKey>([^<]+)</SecretAccessKey>");
    private static final Pattern ARN = Pattern.compile("<Arn>([^<]+)</Arn>");

    private final URI endpoint;
    private final AwsBasicCredentials signer;
    private final HttpClient http = HttpClient.newHttpClient();

    MotoIam(URI endpoint, AwsBasicCredentials signer) {
        this.endpoint = endpoint;
        this.signer = signer;
    }

    /** A new user holding exactly {@code policy} (inline, named "policy"); returns a fresh access key of theirs. */
    public AwsBasicCredentials createUser(String name, String policy) {
        call("CreateUser", Map.of("UserName", name));
        putUserPolicy(name, "policy", policy);
        String xml = call("CreateAccessKey", Map.of("UserName", name));
        return AwsBasicCredentials.create(first(ACCESS_KEY_ID, xml), first(SECRET, xml));
    }

    /** Sets (or replaces) the user's inline policy {@code policyName}. */
    public void putUserPolicy(String user, String policyName, String policy) {
        call("PutUserPolicy", Map.of("UserName", user, "PolicyName", policyName, "PolicyDocument", policy));
    }

    /** A role with the given trust policy; returns its ARN. */
    public String createRole(String name, String trustPolicy) {
        return first(ARN, call("CreateRole", Map.of("RoleName", name, "AssumeRolePolicyDocument", trustPolicy)));
    }

    /** One signed Query API call; returns the response's XML, or fails with it. */
    public String call(String action, Map<String, String> parameters) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("Action", action);
        form.put("Version", "2010-05-08");
        form.putAll(parameters);
        byte[] body = form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&")).getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint.resolve("/"))
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(signer).request(unsigned)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "iam")
                .putProperty(AwsV4HttpSigner.REGION_NAME, MotoServer.REGION));
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve("/")).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signed.request().headers().forEach((header, values) -> {
            if (!RESTRICTED.contains(header.toLowerCase(java.util.Locale.ROOT))) values.forEach(v -> request.header(header, v));
        });
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2)
                throw new IllegalStateException("IAM " + action + " failed at moto: " + response.statusCode() + " " + response.body());
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach moto at " + endpoint + " for IAM " + action, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Headers java.net.http sets itself (the same values the signature covers). */
    private static final List<String> RESTRICTED = List.of("host", "content-length", "connection");

    private static String first(Pattern p, String xml) {
        Matcher m = p.matcher(xml);
        if (!m.find()) throw new IllegalStateException("no " + p.pattern() + " in moto's answer: " + xml);
        return m.group(1);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
