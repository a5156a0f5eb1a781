/** Every resource's bad-input corpus, in the order of the count line. */
export { starrocksCorpus } from "./starrocks";
export { redisCorpus } from "./tencentRedis";
export { cloneCorpus } from "./tencentRedisClone";
export { zstackCorpus } from "./zstackVm";
export { rdsCorpus } from "./jdcloudRds";
export { koophoneCorpus } from "./huaweiKoophone";
export * from "./types";
