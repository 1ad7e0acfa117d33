package io.xcomhybrid.s3;

import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.config.ConfigException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestS3StoreConfig
{
    @Test
    void defaults()
    {
        S3StoreConfig config = S3StoreConfig.from(AirflowConfig.of(Map.of(), Map.of()));
        assertThat(config).isEqualTo(S3StoreConfig.defaults());
        assertThat(config.partSize()).isEqualTo(8L * 1024 * 1024);
        assertThat(config.checksumAlgorithm()).isEqualTo(ChecksumAlgorithm.CRC32);
        assertThat(config.conditionalWrites()).isTrue();
    }

    @Test
    void readsEverySetting()
    {
        S3StoreConfig config = S3StoreConfig.from(AirflowConfig.of(Map.of("xcom_hybrid", Map.of(
                "s3_part_size", "16MiB",
                "s3_upload_parallelism", "2",
                "s3_download_parallelism", "6",
                "s3_sse", "aws:kms",
                "s3_sse_kms_key_id", "alias/xcom",
                "s3_storage_class", "standard_ia",
                "s3_object_tags", "team=data&kind=xcom",
                "s3_checksum_algorithm", "crc32c",
                "s3_request_timeout", "30s",
                "s3_retry_mode", "adaptive")), Map.of("AIRFLOW__XCOM_HYBRID__S3_MAX_ATTEMPTS", "7")));
        assertThat(config.partSize()).isEqualTo(16L * 1024 * 1024);
        assertThat(config.uploadParallelism()).isEqualTo(2);
        assertThat(config.downloadParallelism()).isEqualTo(6);
        assertThat(config.serverSideEncryption()).contains(ServerSideEncryption.AWS_KMS);
        assertThat(config.sseKmsKeyId()).contains("alias/xcom");
        assertThat(config.storageClass()).contains(StorageClass.STANDARD_IA);
        assertThat(config.objectTags()).contains("team=data&kind=xcom");
        assertThat(config.checksumAlgorithm()).isEqualTo(ChecksumAlgorithm.CRC32_C);
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.retryMode()).isEqualTo(RetryMode.ADAPTIVE_V2);
        assertThat(config.maxAttempts()).isEqualTo(7);
    }

    @Test
    void rejectsPartsBelowTheS3Minimum()
    {
        assertThatThrownBy(() -> S3StoreConfig.from(AirflowConfig.of(Map.of("xcom_hybrid", Map.of("s3_part_size", "4MiB")), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[xcom_hybrid] s3_part_size")
                .hasMessageContaining("5 MiB");
        assertThatThrownBy(() -> S3StoreConfig.from(AirflowConfig.of(Map.of("xcom_hybrid", Map.of("s3_part_size", "eight")), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("s3_part_size");
    }

    @Test
    void rejectsUnknownValuesNamingTheKey()
    {
        assertThatThrownBy(() -> S3StoreConfig.from(AirflowConfig.of(Map.of("xcom_hybrid", Map.of("s3_sse", "rot13")), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("s3_sse");
        assertThatThrownBy(() -> S3StoreConfig.from(AirflowConfig.of(Map.of("xcom_hybrid", Map.of("s3_sse_kms_key_id", "k")), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("aws:kms");
        assertThatThrownBy(() -> S3StoreConfig.from(AirflowConfig.of(Map.of("xcom_hybrid", Map.of("s3_checksum_algorithm", "md4")), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("s3_checksum_algorithm");
        assertThatThrownBy(() -> S3StoreConfig.from(AirflowConfig.of(Map.of("xcom_hybrid", Map.of("s3_object_tags", "novalue")), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("s3_object_tags");
        assertThatThrownBy(() -> S3StoreConfig.from(AirflowConfig.of(Map.of("xcom_hybrid", Map.of("s3_retry_mode", "eager")), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("s3_retry_mode");
    }
}
