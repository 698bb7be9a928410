"""Runs the main flow of hvecs's gateway simulator through the official Huawei Cloud Python SDKs.

Started by tests/sim_sdk_conformance.rs, which passes the simulator's address and credentials in
the environment (HVECS_SIM_ENDPOINT, _AK, _SK, _PROJECT_ID, _DOMAIN_ID). Exit status 0 = every step
passed; 3 = the SDKs are not installed (the Rust test decides whether that is a failure).
"""
import os
import sys
import time

try:
    from huaweicloudsdkcore.auth.credentials import BasicCredentials, GlobalCredentials
    from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
    from huaweicloudsdkcore.http.http_config import HttpConfig
    from huaweicloudsdkecs.v2 import (AttachServerVolumeOption, AttachServerVolumeRequest, AttachServerVolumeRequestBody,
                                      DetachServerVolumeRequest)
    from huaweicloudsdkecs.v2 import (BatchStartServersOption, BatchStartServersRequest, BatchStartServersRequestBody,
                                      BatchStopServersOption, BatchStopServersRequest, BatchStopServersRequestBody,
                                      CreatePostPaidServersRequest, CreatePostPaidServersRequestBody, DeleteServersRequest,
                                      DeleteServersRequestBody, EcsClient, ListFlavorsRequest, ListServerBlockDevicesRequest,
                                      ListServersDetailsRequest, NovaListAvailabilityZonesRequest, NovaListKeypairsRequest,
                                      PostPaidServer,
                                      PostPaidServerDataVolume, PostPaidServerNic, PostPaidServerRootVolume, ServerId,
                                      ShowJobRequest, ShowServerLimitsRequest, ShowServerRequest)
    from huaweicloudsdkecs.v2 import (GetServerRemoteConsoleOption, ShowServerRemoteConsoleRequest,
                                      ShowServerRemoteConsoleRequestBody)
    from huaweicloudsdkecs.v2 import (BatchAddServerTag, BatchCreateServerTagsRequest,
                                      BatchCreateServerTagsRequestBody, BatchDeleteServerTagsRequest,
                                      BatchDeleteServerTagsRequestBody, ServerTag, ShowServerTagsRequest)
    from huaweicloudsdkevs.v2 import (RollbackSnapshotOption, RollbackSnapshotRequest, RollbackSnapshotRequestBody,
                                      ShowVolumeRequest)
    from huaweicloudsdkevs.v2 import (CreateSnapshotOption, CreateSnapshotRequest, CreateSnapshotRequestBody,
                                      DeleteSnapshotRequest, EvsClient, ListSnapshotsRequest, ListVolumesRequest,
                                      ShowSnapshotRequest)
    from huaweicloudsdkiam.v3 import IamClient, KeystoneListProjectsRequest, KeystoneListRegionsRequest
    from huaweicloudsdkims.v2 import (CreateImageRequest, CreateImageRequestBody, GlanceDeleteImageRequest,
                                      GlanceShowImageRequest, ImsClient, ListImagesRequest)
    from huaweicloudsdkims.v2 import ShowJobRequest as ImsShowJobRequest
    from huaweicloudsdkims.v2 import UpdateImageRequest, UpdateImageRequestBody
    from huaweicloudsdkvpc.v2 import ListSubnetsRequest, ListVpcsRequest, VpcClient
except ImportError as e:  # pragma: no cover - the Rust test reports it
    print("SDK import failed: %s" % e)
    sys.exit(3)

ENDPOINT = os.environ["HVECS_SIM_ENDPOINT"]
AK = os.environ["HVECS_SIM_AK"]
SK = os.environ["HVECS_SIM_SK"]
PROJECT = os.environ["HVECS_SIM_PROJECT_ID"]
DOMAIN = os.environ["HVECS_SIM_DOMAIN_ID"]


def build(client_cls, creds):
    cfg = HttpConfig.get_default_config()
    cfg.timeout = (5, 20)
    return client_cls.new_builder().with_http_config(cfg).with_credentials(creds).with_endpoints([ENDPOINT]).build()


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print("ok  " + what)


def wait_job(show, job_id):
    for _ in range(3000):
        job = show(job_id)
        if job.status in ("SUCCESS", "FAIL"):
            return job
        time.sleep(0.01)
    raise AssertionError("job %s did not end" % job_id)


def wait_server(ecs, server_id, status):
    for _ in range(3000):
        try:
            s = ecs.show_server(ShowServerRequest(server_id=server_id)).server
            if s.status == status and not s.os_ext_st_stask_state:
                return s
        except ClientRequestException as e:
            if e.status_code != 404:
                raise
        time.sleep(0.01)
    raise AssertionError("server %s never reached %s" % (server_id, status))


def wait_volume(evs, volume_id, status):
    for _ in range(3000):
        if evs.show_volume(ShowVolumeRequest(volume_id=volume_id)).volume.status == status:
            return
        time.sleep(0.01)
    raise AssertionError("volume %s never became %s" % (volume_id, status))


def main():
    creds = BasicCredentials(AK, SK, PROJECT)
    ecs = build(EcsClient, creds)
    ims = build(ImsClient, creds)
    evs = build(EvsClient, creds)
    vpc = build(VpcClient, creds)
    iam = build(IamClient, GlobalCredentials(AK, SK, DOMAIN))

    regions = iam.keystone_list_regions(KeystoneListRegionsRequest()).regions
    check(len(regions) == 3, "IAM regions")
    projects = iam.keystone_list_projects(KeystoneListProjectsRequest(name=regions[0].id)).projects
    check(len(projects) == 1 and projects[0].id == PROJECT, "IAM project by name (signed)")

    azs = ecs.nova_list_availability_zones(NovaListAvailabilityZonesRequest()).availability_zone_info
    check(len(azs) == 3, "ECS availability zones")
    flavors = ecs.list_flavors(ListFlavorsRequest()).flavors
    check(any(f.id == "hv1.large.2" for f in flavors), "ECS flavors")
    limits = ecs.show_server_limits(ShowServerLimitsRequest()).absolute
    check(limits.max_total_instances >= limits.total_instances_used, "ECS limits")
    keypairs = ecs.nova_list_keypairs(NovaListKeypairsRequest()).keypairs
    check(any(k.keypair.name == "ops-key" and k.keypair.fingerprint for k in keypairs), "ECS key pairs")
    page = ecs.list_servers_details(ListServersDetailsRequest(limit=5, offset=2))
    check(page.count > 5 and len(page.servers) == 5, "ECS servers detail, page 2")

    vpcs = vpc.list_vpcs(ListVpcsRequest()).vpcs
    subnets = vpc.list_subnets(ListSubnetsRequest(vpc_id=vpcs[0].id)).subnets
    subnet = [s for s in subnets if not s.availability_zone][0]
    check(len(vpcs) == 2 and subnet.vpc_id == vpcs[0].id, "VPC vpcs and subnets")

    images = ims.list_images(ListImagesRequest(imagetype="gold", os_type="Linux", limit=10)).images
    check(len(images) >= 1, "IMS list images")
    image = ims.glance_show_image(GlanceShowImageRequest(image_id=images[0].id))
    check(image.id == images[0].id, "IMS show image")

    server = PostPaidServer(name="sdk-flow", image_ref=image.id, flavor_ref="hv1.large.2", vpcid=vpcs[0].id,
                            nics=[PostPaidServerNic(subnet_id=subnet.id)],
                            root_volume=PostPaidServerRootVolume(volumetype="SSD", size=40),
                            data_volumes=[PostPaidServerDataVolume(volumetype="SAS", size=20)])
    created = ecs.create_post_paid_servers(CreatePostPaidServersRequest(body=CreatePostPaidServersRequestBody(server=server)))
    ecs_job = lambda j: ecs.show_job(ShowJobRequest(job_id=j))
    job = wait_job(ecs_job, created.job_id)
    check(job.status == "SUCCESS", "ECS create job")
    server_id = job.entities.sub_jobs[0].entities.server_id
    wait_server(ecs, server_id, "ACTIVE")
    check(True, "ECS show server ACTIVE")
    bd = ecs.list_server_block_devices(ListServerBlockDevicesRequest(server_id=server_id)).volume_attachments
    check(len(bd) == 2 and any(b.boot_index == 0 for b in bd), "ECS block devices")
    console = ecs.show_server_remote_console(ShowServerRemoteConsoleRequest(
        server_id=server_id, body=ShowServerRemoteConsoleRequestBody(
            remote_console=GetServerRemoteConsoleOption(protocol="vnc", type="novnc")))).remote_console
    check(console.protocol == "vnc" and console.type == "novnc" and console.url.startswith("https://")
          and "token=" in console.url, "ECS remote console")

    ecs.batch_create_server_tags(BatchCreateServerTagsRequest(server_id=server_id, body=BatchCreateServerTagsRequestBody(
        action="create", tags=[BatchAddServerTag(key="env", value="prod"), BatchAddServerTag(key="owner", value="sdk")])))
    tags = ecs.show_server_tags(ShowServerTagsRequest(server_id=server_id)).tags
    check({(t.key, t.value) for t in tags} >= {("env", "prod"), ("owner", "sdk")}, "ECS batch create server tags")
    listed = ecs.show_server(ShowServerRequest(server_id=server_id)).server.tags
    check("env=prod" in listed, "ECS server tags as key=value in show")
    ecs.batch_delete_server_tags(BatchDeleteServerTagsRequest(server_id=server_id, body=BatchDeleteServerTagsRequestBody(
        action="delete", tags=[ServerTag(key="owner")])))
    tags = ecs.show_server_tags(ShowServerTagsRequest(server_id=server_id)).tags
    check("owner" not in [t.key for t in tags] and "env" in [t.key for t in tags], "ECS batch delete server tags")
    try:
        ecs.batch_create_server_tags(BatchCreateServerTagsRequest(server_id=server_id,
            body=BatchCreateServerTagsRequestBody(action="create", tags=[BatchAddServerTag(key="a.b", value="v")])))
        check(False, "ECS tag key with '.' refused")
    except ClientRequestException as e:
        check(e.status_code == 400 and e.error_code == "Ecs.0005", "ECS tag key with '.' refused")

    stop = ecs.batch_stop_servers(BatchStopServersRequest(body=BatchStopServersRequestBody(
        os_stop=BatchStopServersOption(servers=[ServerId(id=server_id)], type="HARD"))))
    check(wait_job(ecs_job, stop.job_id).status == "SUCCESS", "ECS batch stop")
    wait_server(ecs, server_id, "SHUTOFF")

    img = ims.create_image(CreateImageRequest(body=CreateImageRequestBody(name="sdk-image", instance_id=server_id)))
    ims_job = lambda j: ims.show_job(ImsShowJobRequest(job_id=j))
    ij = wait_job(ims_job, img.job_id)
    check(ij.status == "SUCCESS", "IMS create image from server")
    renamed = ims.update_image(UpdateImageRequest(image_id=ij.entities.image_id, body=[
        UpdateImageRequestBody(op="replace", path="/name", value="sdk-image-renamed")]))
    check(renamed.name == "sdk-image-renamed", "IMS rename (JSON patch)")
    wait_server(ecs, server_id, "SHUTOFF")

    vols = evs.list_volumes(ListVolumesRequest(limit=1000)).volumes
    system = [v for v in vols if any(a.server_id == server_id and a.device == "/dev/vda" for a in v.attachments)][0]
    snap = evs.create_snapshot(CreateSnapshotRequest(body=CreateSnapshotRequestBody(
        snapshot=CreateSnapshotOption(volume_id=system.id, force=True, name="sdk-snap")))).snapshot
    for _ in range(3000):
        if evs.show_snapshot(ShowSnapshotRequest(snapshot_id=snap.id)).snapshot.status == "available":
            break
        time.sleep(0.01)
    check(evs.show_snapshot(ShowSnapshotRequest(snapshot_id=snap.id)).snapshot.status == "available", "EVS snapshot")
    snaps = evs.list_snapshots(ListSnapshotsRequest(volume_id=system.id))
    check(snaps.count >= 1, "EVS list snapshots")

    detach = ecs.detach_server_volume(DetachServerVolumeRequest(server_id=server_id, volume_id=system.id))
    check(wait_job(ecs_job, detach.job_id).status == "SUCCESS", "ECS detach the system disk")
    wait_volume(evs, system.id, "available")
    evs.rollback_snapshot(RollbackSnapshotRequest(snapshot_id=snap.id, body=RollbackSnapshotRequestBody(
        rollback=RollbackSnapshotOption(volume_id=system.id))))
    wait_volume(evs, system.id, "available")
    check(True, "EVS rollback to the detached disk")
    attach = ecs.attach_server_volume(AttachServerVolumeRequest(server_id=server_id, body=AttachServerVolumeRequestBody(
        volume_attachment=AttachServerVolumeOption(volume_id=system.id, device="/dev/vda"))))
    check(wait_job(ecs_job, attach.job_id).status == "SUCCESS", "ECS attach it back at /dev/vda")
    wait_volume(evs, system.id, "in-use")
    evs.delete_snapshot(DeleteSnapshotRequest(snapshot_id=snap.id))
    check(True, "EVS delete snapshot accepted")

    start = ecs.batch_start_servers(BatchStartServersRequest(body=BatchStartServersRequestBody(
        os_start=BatchStartServersOption(servers=[ServerId(id=server_id)]))))
    check(wait_job(ecs_job, start.job_id).status == "SUCCESS", "ECS batch start")
    wait_server(ecs, server_id, "ACTIVE")

    try:
        ecs.batch_start_servers(BatchStartServersRequest(body=BatchStartServersRequestBody(
            os_start=BatchStartServersOption(servers=[ServerId(id=server_id)]))))
        raise AssertionError("starting an ACTIVE server must be refused")
    except ClientRequestException as e:
        check(e.status_code == 409 and e.error_code.startswith("Ecs.") and e.request_id, "ECS error parsed by the SDK")

    deleted = ecs.delete_servers(DeleteServersRequest(body=DeleteServersRequestBody(
        servers=[ServerId(id=server_id)], delete_volume=True)))
    check(wait_job(ecs_job, deleted.job_id).status == "SUCCESS", "ECS delete")
    ims.glance_delete_image(GlanceDeleteImageRequest(image_id=ij.entities.image_id))
    check(True, "IMS delete image")
    print("SDK FLOW PASSED")


if __name__ == "__main__":
    main()
