package io.jwren.testing.s3;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;

import java.io.ByteArrayInputStream;

/** A chain of the AWS SDK's own providers that finds nothing: what a machine without any credentials gives. */
public final class NoAwsCredentials {
    private NoAwsCredentials() {}

    public static AwsCredentialsProvider anywhere() {
        return AwsCredentialsProviderChain.builder().credentialsProviders(ProfileCredentialsProvider.builder()
                .profileFile(ProfileFile.builder().content(new ByteArrayInputStream(new byte[0]))
                        .type(ProfileFile.Type.CREDENTIALS).build())
                .profileName("nosuch").build()).build();
    }
}
