"""Runs every IMS call hvecs uses against its gateway simulator through the official Huawei Cloud
Python SDK (huaweicloudsdkims): the private-image quota, an image from a stopped server (tags,
description) followed through the IMS job and its process_percent, the refusals the console
meets (IMG.0008 running server, IMG.0009 name taken, IMG.0010 delete while saving), list by type,
name and id, rename by JSON patch, delete.

Started by tests/sim_sdk_conformance.rs with the simulator's address and credentials in the
environment (HVECS_SIM_ENDPOINT, _AK, _SK, _PROJECT_ID, _DOMAIN_ID, read by conformance.py). Exit status 0 = every step passed;
3 = the SDKs are not installed (the Rust test decides whether that is a failure).
"""
import sys
import time

try:
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
    from huaweicloudsdkecs.v2 import EcsClient, ListServersDetailsRequest, ShowServerRequest
    from huaweicloudsdkims.v2 import (CreateImageRequest, CreateImageRequestBody, GlanceDeleteImageRequest, ImsClient,
                                      ListImagesRequest, ShowImageQuotaRequest, ShowJobRequest, TagKeyValue,
                                      UpdateImageRequest, UpdateImageRequestBody)
except ImportError as e:  # pragma: no cover - the Rust test reports it
    print("SDK import failed: %s" % e)
    sys.exit(3)

# The simulator's credentials and the step helpers of the main flow's script (same environment).
from conformance import AK, PROJECT, SK, build, check  # noqa: E402


def refused(call, status, code, what):
    try:
        call()
    except ClientRequestException as e:
        check(e.status_code == status and e.error_code == code and e.request_id, what)
        return
    raise AssertionError(what + ": not refused")


def idle(ecs, status):
    servers = ecs.list_servers_details(ListServersDetailsRequest(status=status, limit=100)).servers
    return [s for s in servers if not s.os_ext_st_stask_state]


def create(ims, name, server_id, **extra):
    body = CreateImageRequestBody(name=name, instance_id=server_id, **extra)
    return ims.create_image(CreateImageRequest(body=body)).job_id


def follow(ims, job_id):
    """The IMS job to its end, with every process_percent seen."""
    percents = []
    for _ in range(3000):
        job = ims.show_job(ShowJobRequest(job_id=job_id))
        if job.entities is not None and job.entities.process_percent is not None:
            percents.append(job.entities.process_percent)
        if job.status in ("SUCCESS", "FAIL"):
            return job, percents
        time.sleep(0.01)
    raise AssertionError("job %s did not end" % job_id)


def settled(ecs, server_id):
    """Waits until the server has no task: an image job's end is not its server's (the
    platform still refreshes the server's state after the job)."""
    for _ in range(3000):
        if not ecs.show_server(ShowServerRequest(server_id=server_id)).server.os_ext_st_stask_state:
            return
        time.sleep(0.01)
    raise AssertionError("server %s kept a task" % server_id)


def private(ims, **filters):
    return ims.list_images(ListImagesRequest(imagetype="private", **filters)).images


def main():
    creds = BasicCredentials(AK, SK, PROJECT)
    ecs = build(EcsClient, creds)
    ims = build(ImsClient, creds)

    quota = ims.show_image_quota(ShowImageQuotaRequest()).quotas.resources
    image_quota = [q for q in quota if q.type == "image"][0]
    check(image_quota.used < image_quota.quota, "IMS show image quota (used %d of %d)"
          % (image_quota.used, image_quota.quota))

    running = idle(ecs, "ACTIVE")[0]
    refused(lambda: create(ims, "sdk-hot", running.id), 400, "IMG.0008",
            "IMS refuses an image of a running server (IMG.0008)")

    stopped = idle(ecs, "SHUTOFF")
    job_id = create(ims, "sdk-gold", stopped[0].id, description="made by the SDK",
                    image_tags=[TagKeyValue(key="team", value="ops")])
    job, percents = follow(ims, job_id)
    check(job.status == "SUCCESS" and job.job_type == "imsCreateImageByInstance", "IMS create image job")
    check(percents and percents[-1] == 100 and percents == sorted(percents),
          "IMS job process_percent rises to 100 (%s)" % percents[:5])
    image_id = job.entities.image_id
    listed = private(ims, name="sdk-gold")
    check(len(listed) == 1 and listed[0].id == image_id and listed[0].status == "active",
          "IMS list images by type and name")
    check(listed[0].tags and "team.ops" in listed[0].tags, "IMS image tags")
    check(ims.list_images(ListImagesRequest(id=image_id)).images[0].name == "sdk-gold", "IMS list images by id")
    after = [q for q in ims.show_image_quota(ShowImageQuotaRequest()).quotas.resources if q.type == "image"][0]
    check(after.used == image_quota.used + 1, "IMS quota counts the new image")

    settled(ecs, stopped[0].id)
    refused(lambda: create(ims, "sdk-gold", stopped[0].id), 400, "IMG.0009", "IMS refuses a name taken (IMG.0009)")

    renamed = ims.update_image(UpdateImageRequest(image_id=image_id, body=[
        UpdateImageRequestBody(op="replace", path="/name", value="sdk-gold-2")]))
    check(renamed.name == "sdk-gold-2" and renamed.id == image_id, "IMS rename (JSON patch)")

    saving_job = create(ims, "sdk-saving", stopped[1].id)
    saving_id = ims.show_job(ShowJobRequest(job_id=saving_job)).entities.image_id
    check(private(ims, id=saving_id)[0].status == "saving", "IMS image saving while its job runs")
    refused(lambda: ims.glance_delete_image(GlanceDeleteImageRequest(image_id=saving_id)), 409, "IMG.0010",
            "IMS refuses to delete an image still saving (IMG.0010)")
    check(follow(ims, saving_job)[0].status == "SUCCESS", "IMS second image job")

    for i in (image_id, saving_id):
        ims.glance_delete_image(GlanceDeleteImageRequest(image_id=i))
    check(not ims.list_images(ListImagesRequest(id=image_id)).images
          and not ims.list_images(ListImagesRequest(id=saving_id)).images, "IMS delete image (glance)")
    print("SDK IMAGES FLOW PASSED")


if __name__ == "__main__":
    main()
