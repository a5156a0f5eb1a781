/** Huawei Cloud resources. */
export * as koophone from "./koophone";
