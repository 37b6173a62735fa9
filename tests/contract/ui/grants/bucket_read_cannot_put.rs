// The grant is `archive.read`, the code writes: in the seed this compiled, deployed and
// failed at run time with AccessDenied on PutObject (mistake 9 in another form). The
// handle's type carries the grant, so `put_object` is not there to call.
use tap::prelude::*;

#[stack(name = "Archiver")]
pub fn archiver() {
    let archive = resource!(Bucket {
        name: "archive-{suffix}",
        removal: Destroy,
        auto_delete_objects: true,
        encryption: S3Managed,
        block_public_access: true,
        enforce_tls: true,
        expire_after_days: 30,
    });
    let writer = resource!(Function {
        name: "writer-{suffix}",
        code: Dir("../../../ui/fixtures/lambda"),
        runtime: ProvidedAl2023,
        env: { ARCHIVE_BUCKET: archive.name },
        grants: [archive.read],
    });
    resource!(LogGroup { function: writer, retention_days: 7, removal: Destroy });
    resource!(Output { name: "ArchiveBucketName", value: archive.name });
    resource!(Output { name: "WriterFunctionName", value: writer.name });
}

async fn archive(handles: &archiver::writer::Handles, line: String) {
    let _ = handles.archive.put_object().key("line.json").body(line.into_bytes().into()).send().await;
}

fn main() {
    let _ = archive;
}
