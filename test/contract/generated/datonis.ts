/** Generated from openapi/datonis.json by `npm run openapi` (openapi-typescript): do not edit. */

export interface paths {
    "/api/v3/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List users
         * @description Returns a list of all users belonging to an account as per the specified criteria. This API is paginated and returns 20 users by default. A user is uniquely identified by a 'user_key'. The parameters may also be sent as a body on the GET (JSON, as the documented examples do, or a form); a parameter in both places takes the query string's value.
         */
        get: operations["getApiV3Users"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getApiV3Users: {
        parameters: {
            query?: {
                /** @description Page number of results to be fetched, Default 1. An integer, or a string of decimal digits (echoed back as a string) */
                page?: number;
                /** @description Number of users to be returned in one page, Default 20 */
                per?: number;
                /** @description Field on which users should be sorted */
                order_by?: "address" | "city" | "confirmed_at" | "country" | "email" | "first_name" | "last_name" | "phone" | "role" | "time_zone" | "user_key" | "created_at" | "updated_at" | "role_name" | "role_key" | "tags" | "user_defined_properties";
                /** @description Order, "asc" or "desc", in which results should be sorted; in any case ("DESC"), as Rails reads it */
                order?: string;
                /** @description Keywords based on which users should be searched. Currently you can search users on - user_key, name, tags or user_defined_properties */
                search?: string;
                /** @description Matching condition if multiple keywords are specified for search. Default is "all" */
                scope?: "all" | "any";
                /** @description Format, "str" or "int", in which timestamps should be returned, Default "int" */
                timestamp_format?: "str" | "int";
                /** @description Return a pretty formatted response if true, Default is false. true or false, or the text "true" or "false" */
                pretty?: boolean;
                /** @description List of fields required in the result (repeat the parameter, or separate names with commas). Empty ([], "" or null): every field, as when absent */
                field_list?: string[];
                /** @description Return users of child account if is_oem flag is true. true or false, or the text "true" or "false" */
                is_oem?: boolean;
                /** @description Organisation key of child account. Required field if is_oem is present. */
                child_organisation_key?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /**
                     * @description Page number of results to be fetched, Default 1. An integer, or a string of decimal digits (echoed back as a string)
                     * @default 1
                     */
                    page?: number;
                    /**
                     * @description Number of users to be returned in one page, Default 20
                     * @default 20
                     */
                    per?: number;
                    /**
                     * @description Field on which users should be sorted
                     * @enum {string}
                     */
                    order_by?: "address" | "city" | "confirmed_at" | "country" | "email" | "first_name" | "last_name" | "phone" | "role" | "time_zone" | "user_key" | "created_at" | "updated_at" | "role_name" | "role_key" | "tags" | "user_defined_properties";
                    /**
                     * @description Order, "asc" or "desc", in which results should be sorted; in any case ("DESC"), as Rails reads it
                     * @default asc
                     */
                    order?: string;
                    /** @description Keywords based on which users should be searched. Currently you can search users on - user_key, name, tags or user_defined_properties */
                    search?: string;
                    /**
                     * @description Matching condition if multiple keywords are specified for search. Default is "all"
                     * @default all
                     * @enum {string}
                     */
                    scope?: "all" | "any";
                    /**
                     * @description Format, "str" or "int", in which timestamps should be returned, Default "int"
                     * @default int
                     * @enum {string}
                     */
                    timestamp_format?: "str" | "int";
                    /**
                     * @description Return a pretty formatted response if true, Default is false. true or false, or the text "true" or "false"
                     * @default false
                     */
                    pretty?: boolean;
                    /** @description List of fields required in the result (repeat the parameter, or separate names with commas). Empty ([], "" or null): every field, as when absent */
                    field_list?: string[];
                    /** @description Return users of child account if is_oem flag is true. true or false, or the text "true" or "false" */
                    is_oem?: boolean;
                    /** @description Organisation key of child account. Required field if is_oem is present. */
                    child_organisation_key?: string;
                };
                "application/x-www-form-urlencoded": {
                    /**
                     * @description Page number of results to be fetched, Default 1. An integer, or a string of decimal digits (echoed back as a string)
                     * @default 1
                     */
                    page?: number;
                    /**
                     * @description Number of users to be returned in one page, Default 20
                     * @default 20
                     */
                    per?: number;
                    /**
                     * @description Field on which users should be sorted
                     * @enum {string}
                     */
                    order_by?: "address" | "city" | "confirmed_at" | "country" | "email" | "first_name" | "last_name" | "phone" | "role" | "time_zone" | "user_key" | "created_at" | "updated_at" | "role_name" | "role_key" | "tags" | "user_defined_properties";
                    /**
                     * @description Order, "asc" or "desc", in which results should be sorted; in any case ("DESC"), as Rails reads it
                     * @default asc
                     */
                    order?: string;
                    /** @description Keywords based on which users should be searched. Currently you can search users on - user_key, name, tags or user_defined_properties */
                    search?: string;
                    /**
                     * @description Matching condition if multiple keywords are specified for search. Default is "all"
                     * @default all
                     * @enum {string}
                     */
                    scope?: "all" | "any";
                    /**
                     * @description Format, "str" or "int", in which timestamps should be returned, Default "int"
                     * @default int
                     * @enum {string}
                     */
                    timestamp_format?: "str" | "int";
                    /**
                     * @description Return a pretty formatted response if true, Default is false. true or false, or the text "true" or "false"
                     * @default false
                     */
                    pretty?: boolean;
                    /** @description List of fields required in the result (repeat the parameter, or separate names with commas). Empty ([], "" or null): every field, as when absent */
                    field_list?: string[];
                    /** @description Return users of child account if is_oem flag is true. true or false, or the text "true" or "false" */
                    is_oem?: boolean;
                    /** @description Organisation key of child account. Required field if is_oem is present. */
                    child_organisation_key?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Users matching the criteria, across all pages */
                        total_count: number;
                        /** @description The page returned, echoed in the type in which it was sent (1 when not sent) */
                        page: number | string;
                        users: {
                            address?: string;
                            city?: string;
                            /** @description When the user confirmed the account (ISO 8601) */
                            confirmed_at?: string;
                            country?: string;
                            email?: string;
                            first_name?: string;
                            last_name?: string;
                            phone?: string;
                            role?: string;
                            time_zone?: string;
                            /** @description Uniquely identifies a user in every other API */
                            user_key?: string;
                            /** @description Epoch seconds (timestamp_format=int, the default) or "YYYY/MM/DD HH:MM:SS" UTC (timestamp_format=str) */
                            created_at?: number | string;
                            /** @description Epoch seconds (timestamp_format=int, the default) or "YYYY/MM/DD HH:MM:SS" UTC (timestamp_format=str) */
                            updated_at?: number | string;
                            role_name?: string;
                            role_key?: string;
                            tags?: string[];
                            user_defined_properties?: {
                                [key: string]: string;
                            };
                        }[];
                    };
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description The HTTP status */
                            code: number;
                            /** @description What went wrong */
                            message: string;
                        };
                    };
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description The HTTP status */
                            code: number;
                            /** @description What went wrong */
                            message: string;
                        };
                    };
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description The HTTP status */
                            code: number;
                            /** @description What went wrong */
                            message: string;
                        };
                    };
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @description The HTTP status */
                            code: number;
                            /** @description What went wrong */
                            message: string;
                        };
                    };
                };
            };
        };
    };
}
