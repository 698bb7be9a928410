"""Runs a data disk's life on hvecs's gateway simulator through the official Huawei Cloud Python
SDKs: EVS CreateVolume, UpdateVolume, ResizeVolume, DeleteVolume and their EVS jobs; ECS
AttachServerVolume and DetachServerVolume and their ECS jobs; an EVS error as the SDK parses it.

Started by tests/sim_sdk_conformance.rs with the simulator's address and credentials in the
environment (HVECS_SIM_ENDPOINT, _AK, _SK, _PROJECT_ID, _DOMAIN_ID, read by conformance.py). Exit status 0 = every step passed; 3 = the
SDKs are not installed (the Rust test decides whether that is a failure).
"""
import sys
import time

try:
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
    from huaweicloudsdkecs.v2 import (AttachServerVolumeOption, AttachServerVolumeRequest, AttachServerVolumeRequestBody,
                                      DetachServerVolumeRequest, EcsClient, ListServersDetailsRequest)
    from huaweicloudsdkecs.v2 import ShowJobRequest as EcsShowJobRequest
    from huaweicloudsdkevs.v2 import (CreateVolumeOption, CreateVolumeRequest, CreateVolumeRequestBody,
                                      DeleteVolumeRequest, EvsClient, OsExtend, ResizeVolumeRequest,
                                      ResizeVolumeRequestBody, ShowJobRequest, ShowVolumeRequest, UpdateVolumeOption,
                                      UpdateVolumeRequest, UpdateVolumeRequestBody)
except ImportError as e:  # pragma: no cover - the Rust test reports it
    print("SDK import failed: %s" % e)
    sys.exit(3)

# The simulator's credentials and the step helpers of the main flow's script (same environment).
from conformance import AK, PROJECT, SK, build, check, wait_job  # noqa: E402


def wait_volume(evs, volume_id, status):
    for _ in range(3000):
        v = evs.show_volume(ShowVolumeRequest(volume_id=volume_id)).volume
        if v.status == status:
            return v
        time.sleep(0.01)
    raise AssertionError("volume %s never became %s" % (volume_id, status))


def main():
    creds = BasicCredentials(AK, SK, PROJECT)
    ecs = build(EcsClient, creds)
    evs = build(EvsClient, creds)
    evs_job = lambda j: evs.show_job(ShowJobRequest(job_id=j))
    ecs_job = lambda j: ecs.show_job(EcsShowJobRequest(job_id=j))

    servers = ecs.list_servers_details(ListServersDetailsRequest(status="ACTIVE", limit=100)).servers
    server = [s for s in servers if not s.os_ext_st_stask_state][0]
    az = server.os_ext_a_zavailability_zone

    made = evs.create_volume(CreateVolumeRequest(x_client_token="sdk-disk-1", body=CreateVolumeRequestBody(
        volume=CreateVolumeOption(availability_zone=az, volume_type="SAS", size=20, name="sdk-disk"))))
    check(made.job_id and len(made.volume_ids) == 1, "EVS CreateVolume: job_id and volume_ids")
    disk = made.volume_ids[0]
    job = wait_job(evs_job, made.job_id)
    check(job.status == "SUCCESS" and job.job_type == "createVolume", "EVS ShowJob of the create")
    check(job.entities.volume_id == disk and job.entities.size == 20, "EVS job entities name the disk")
    wait_volume(evs, disk, "available")
    again = evs.create_volume(CreateVolumeRequest(x_client_token="sdk-disk-1", body=CreateVolumeRequestBody(
        volume=CreateVolumeOption(availability_zone=az, volume_type="SAS", size=20, name="sdk-disk"))))
    check(again.job_id == made.job_id and again.volume_ids == made.volume_ids, "EVS CreateVolume: X-Client-Token")

    renamed = evs.update_volume(UpdateVolumeRequest(volume_id=disk, body=UpdateVolumeRequestBody(
        volume=UpdateVolumeOption(name="sdk-renamed", description="by the SDK"))))
    check(renamed.id == disk and renamed.name == "sdk-renamed", "EVS UpdateVolume")

    attach = ecs.attach_server_volume(AttachServerVolumeRequest(server_id=server.id, body=AttachServerVolumeRequestBody(
        volume_attachment=AttachServerVolumeOption(volume_id=disk))))
    check(wait_job(ecs_job, attach.job_id).status == "SUCCESS", "ECS AttachServerVolume and its job")
    v = wait_volume(evs, disk, "in-use")
    check(v.attachments[0].server_id == server.id, "EVS disk in-use on the server")

    grow = evs.resize_volume(ResizeVolumeRequest(volume_id=disk, body=ResizeVolumeRequestBody(
        os_extend=OsExtend(new_size=40))))
    job = wait_job(evs_job, grow.job_id)
    check(job.status == "SUCCESS" and job.job_type == "extendVolume", "EVS ResizeVolume (in-use) and its job")
    check(wait_volume(evs, disk, "in-use").size == 40, "EVS disk grew to 40 GB")
    try:
        evs.resize_volume(ResizeVolumeRequest(volume_id=disk, body=ResizeVolumeRequestBody(
            os_extend=OsExtend(new_size=10))))
        raise AssertionError("shrinking a disk must be refused")
    except ClientRequestException as e:
        check(e.status_code == 400 and e.error_code.startswith("EVS.") and e.request_id,
              "EVS error parsed by the SDK")

    detach = ecs.detach_server_volume(DetachServerVolumeRequest(server_id=server.id, volume_id=disk))
    check(wait_job(ecs_job, detach.job_id).status == "SUCCESS", "ECS DetachServerVolume and its job")
    wait_volume(evs, disk, "available")

    deleted = evs.delete_volume(DeleteVolumeRequest(volume_id=disk))
    job = wait_job(evs_job, deleted.job_id)
    check(job.status == "SUCCESS" and job.job_type == "deleteVolume", "EVS DeleteVolume and its job")
    try:
        evs.show_volume(ShowVolumeRequest(volume_id=disk))
        raise AssertionError("a deleted disk must be gone")
    except ClientRequestException as e:
        check(e.status_code == 404, "EVS disk gone")
    print("SDK DISK FLOW PASSED")


if __name__ == "__main__":
    main()
