//! `Bucket<A>`: an S3 bucket's objects.

use aws_sdk_s3::operation as op;

super::handle! {
    /// An S3 bucket the function was granted, by its name.
    pub struct Bucket(aws_sdk_s3);
    // Path-style addressing where the endpoint is overridden (a local emulator).
    client = |sdk| aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(sdk).force_path_style(sdk.endpoint_url().is_some()).build());

    /// Reading objects and listing keys.
    #[diagnostic::on_unimplemented(
        message = "TAP-IAM-003: reading this bucket needs its `read` or `read_write` grant, which the function does not have",
        label = "the function was granted `{Self}` on this bucket",
        note = "fix: in the stack, grant the function `<bucket>.read` (or `read_write` if it also writes)",
        note = "explain: `cargo tap explain TAP-IAM-003`"
    )]
    capability ReadObjects for [Read, ReadWrite] {
        /// `GetObject` on a key of this bucket.
        fn get_object -> op::get_object::builders::GetObjectFluentBuilder = ["s3:GetObject"] |c, id| c.get_object().bucket(id);
        /// `HeadObject`: an object's metadata.
        fn head_object -> op::head_object::builders::HeadObjectFluentBuilder = ["s3:GetObject"] |c, id| c.head_object().bucket(id);
        /// `ListObjectsV2` over this bucket.
        fn list_objects_v2 -> op::list_objects_v2::builders::ListObjectsV2FluentBuilder = ["s3:ListBucket"] |c, id| c.list_objects_v2().bucket(id);
    }

    /// Writing objects (an incomplete multipart upload is removed by the bucket's lifecycle
    /// rule after 7 days, so writers need no `AbortMultipartUpload`).
    #[diagnostic::on_unimplemented(
        message = "TAP-IAM-003: writing to this bucket needs its `write` or `read_write` grant, which the function does not have",
        label = "the function was granted `{Self}` on this bucket",
        note = "fix: in the stack, grant the function `<bucket>.write` (or `read_write` if it also reads)",
        note = "explain: `cargo tap explain TAP-IAM-003`"
    )]
    capability WriteObjects for [Write, ReadWrite] {
        /// `PutObject` to a key of this bucket.
        fn put_object -> op::put_object::builders::PutObjectFluentBuilder = ["s3:PutObject"] |c, id| c.put_object().bucket(id);
        /// Starts a multipart upload.
        fn create_multipart_upload -> op::create_multipart_upload::builders::CreateMultipartUploadFluentBuilder = ["s3:PutObject"] |c, id| c.create_multipart_upload().bucket(id);
        /// Uploads one part.
        fn upload_part -> op::upload_part::builders::UploadPartFluentBuilder = ["s3:PutObject"] |c, id| c.upload_part().bucket(id);
        /// Completes a multipart upload.
        fn complete_multipart_upload -> op::complete_multipart_upload::builders::CompleteMultipartUploadFluentBuilder = ["s3:PutObject"] |c, id| c.complete_multipart_upload().bucket(id);
    }
}
